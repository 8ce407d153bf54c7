import { fieldSuite } from './rows.js';
import { TABLES } from './rows/index.js';

fieldSuite('urgency and intent of realistic messages', ['urgency', 'intent'], TABLES);
