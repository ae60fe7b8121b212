import type { TemplateFleetSummary } from '@paved/plugin-paved-common';
import { useId } from 'react';

/**
 * Versions in use as horizontal bars, newest first; the newest version's bar is green. The numbers are text, so the
 * chart reads the same to a screen reader.
 */
export function VersionChart(props: { summary: TemplateFleetSummary }) {
  const { versions, latestVersion, templateName } = props.summary;
  const max = Math.max(1, ...versions.map(v => v.count));
  const id = useId();
  return (
    <figure style={{ margin: 0 }} aria-labelledby={id}>
      <figcaption id={id} className="paved-ts-visually-hidden">
        Versions of {templateName} in use
      </figcaption>
      <dl className="paved-ts-bars">
        {versions.map(v => (
          <div key={v.version} style={{ display: 'contents' }}>
            <dt>{v.version}</dt>
            <dd style={{ margin: 0 }} aria-hidden="true">
              <div
                className="paved-ts-bar"
                data-latest={String(v.version === latestVersion)}
                style={{ width: `${(v.count / max) * 100}%` }}
              />
            </dd>
            <dd style={{ margin: 0 }}>
              {v.count}
              <span className="paved-ts-visually-hidden">
                {' '}
                instance{v.count === 1 ? '' : 's'}
              </span>
            </dd>
          </div>
        ))}
      </dl>
    </figure>
  );
}
