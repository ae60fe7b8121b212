/** Kubernetes naming rules, as the API server enforces them, shared by the catalog processor and manifest builders. */

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** RFC 1123 label: namespaces, most names. @public */
export function isDnsLabel(value: string): boolean {
  return value.length <= 63 && DNS_LABEL.test(value);
}

/** RFC 1123 subdomain: Argo CD Applications and AppProjects. @public */
export function isDnsSubdomain(value: string): boolean {
  return value.length <= 253 && DNS_SUBDOMAIN.test(value);
}

/** A label value (may be empty). @public */
export function isLabelValue(value: string): boolean {
  return value.length <= 63 && LABEL_VALUE.test(value);
}

/** A label key: optional DNS-subdomain prefix and `/`, then a name of at most 63 characters. @public */
export function isLabelKey(key: string): boolean {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && !isDnsSubdomain(prefix)) return false;
  return name.length <= 63 && LABEL_NAME.test(name);
}

/**
 * Checks a label selector as kubectl and the API accept it (`a=b,c!=d,e in (f,g),h notin (i),j,!k`) and returns
 * the first problem, or undefined when it is valid.
 * @public
 */
export function labelSelectorProblem(selector: string): string | undefined {
  // Split on commas outside parentheses.
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (depth < 0) return 'unbalanced ")"';
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  if (depth !== 0) return 'unbalanced "("';
  parts.push(current);

  for (const raw of parts) {
    const part = raw.trim();
    if (!part) return 'empty requirement (stray comma)';
    let match = /^(!)?([^\s=!(),]+)$/.exec(part);
    if (match) {
      if (!isLabelKey(match[2]))
        return `"${match[2]}" is not a valid label key`;
      continue;
    }
    match = /^([^\s=!(),]+)\s*(==|=|!=)\s*([^\s=!(),]*)$/.exec(part);
    if (match) {
      if (!isLabelKey(match[1]))
        return `"${match[1]}" is not a valid label key`;
      if (!isLabelValue(match[3]))
        return `"${match[3]}" is not a valid label value`;
      continue;
    }
    match = /^([^\s=!(),]+)\s+(in|notin)\s*\(([^()]*)\)$/.exec(part);
    if (match) {
      if (!isLabelKey(match[1]))
        return `"${match[1]}" is not a valid label key`;
      const values = match[3].split(',').map(v => v.trim());
      const bad = values.find(v => !isLabelValue(v));
      if (bad !== undefined) return `"${bad}" is not a valid label value`;
      continue;
    }
    return `"${part}" is not a requirement (key=value, key!=value, key in (a,b), key notin (a,b), key or !key)`;
  }
  return undefined;
}
