import type { Finding } from '../model.js';

// Small constructors so checks read as statements of fact.
type Extra = Omit<Finding, 'status' | 'message'>;

export const pass = (message: string, extra: Extra = {}): Finding => ({ status: 'pass', message, ...extra });
export const fail = (message: string, extra: Extra = {}): Finding => ({ status: 'fail', message, ...extra });
export const warn = (message: string, extra: Extra = {}): Finding => ({ status: 'warn', message, ...extra });
export const error = (message: string, extra: Extra = {}): Finding => ({ status: 'error', message, ...extra });
export const skip = (message: string, extra: Extra = {}): Finding => ({ status: 'skip', message, ...extra });
