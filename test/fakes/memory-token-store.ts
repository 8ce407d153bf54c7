export * from '../../src/lib/memory-token-store.js';
