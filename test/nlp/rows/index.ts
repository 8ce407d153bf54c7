/* Every table of realistic messages, labelled to the spec before the engine was run on them. */
import type { Row } from '../rows.js';
import { ROWS as forwarded } from './forwarded-messages.rows.js';
import { ROWS as sectors } from './education-manufacturing-medical.rows.js';
import { ROWS as forms } from './form-style.rows.js';
import { ROWS as voice } from './voice-notes-and-lead-forms.rows.js';
import { ROWS as lookAlike } from './look-alike-words.rows.js';
import { ROWS as industry } from './industry-tenders-terms.rows.js';

export const TABLES: ReadonlyArray<readonly [string, Row[]]> = [
  ['forwarded messages', forwarded],
  ['education, manufacturing, medical', sectors],
  ['form-style', forms],
  ['voice notes and lead forms', voice],
  ['look-alike words', lookAlike],
  ['industry, tenders, terms', industry],
];
