import { fieldSuite } from './rows.js';
import { TABLES } from './rows/index.js';

fieldSuite('phones, e-mails and WeChat IDs of realistic messages', ['phones', 'emails', 'wechatIds'], TABLES);
