// The fake DingTalk lives with its adapter (the playground runs it in production); tests import it from here.
export * from '../../src/adapters/dingtalk/dingtalk.fake.js';
