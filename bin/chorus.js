#!/usr/bin/env node
// The CLI is written in TypeScript; tsx's loader runs it directly, so `npx chorus` works right after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

register();
await import('../server/cli/main.ts');
