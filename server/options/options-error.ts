/** A mistake in the options (flags, --config, --set, or startServer's settings) that the user can fix; the CLI prints it as is. */
export class OptionsError extends Error {}
