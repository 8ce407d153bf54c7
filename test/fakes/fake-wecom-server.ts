// The fake WeCom server lives with its adapter (the playground runs it in production); tests import it from here.
export * from '../../src/adapters/wecom/wecom.fake.js';
