import type { z } from 'zod';

/**
 * One line naming each problem by its field path, e.g. `texts.3: each text must be at most 20,000 characters`.
 * The wording of BAD_REQUEST errors on both server doors (HTTP and socket.io), so it lives with the protocol.
 */
export function formatIssues(error: z.ZodError, root = 'payload'): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      return `${path === '' ? root : path}: ${issue.message}`;
    })
    .join('; ');
}
