/* Every match of a global pattern, without String.prototype.matchAll: matchAll copies the pattern
 * (a new RegExp per call), which costs more than the search itself on a chat message. */
export function execAll(re: RegExp, s: string): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    out.push(m);
    if (m[0].length === 0) re.lastIndex++;
  }
  return out;
}
