/**
 * A before/after compare: the two images stacked, the "after" one uncovered from the reading side
 * up to the slider's value. The slider is a labelled range input, so arrows and Home/End move it;
 * in Persian it runs right to left like the page.
 */
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';

export function Compare({ before, after, label }: { before: string; after: string; label: string }) {
  const { t, i18n } = useTranslation();
  const [split, setSplit] = useState(50);
  const id = useId();
  const rtl = i18n.dir() === 'rtl';
  const hidden = `${100 - split}%`;
  const clip = rtl ? `inset(0 0 0 ${hidden})` : `inset(0 ${hidden} 0 0)`;
  return (
    <figure className="compare" data-testid="compare">
      <div className="compare-stage">
        <img src={before} alt={t('printPrep.beforeAlt', { label })} className="compare-before" />
        <img src={after} alt={t('printPrep.afterAlt', { label })} className="compare-after" style={{ clipPath: clip }} data-testid="compare-after" />
        <span className="compare-tag compare-tag-start" aria-hidden="true">
          {t('printPrep.after')}
        </span>
        <span className="compare-tag compare-tag-end" aria-hidden="true">
          {t('printPrep.before')}
        </span>
      </div>
      <figcaption className="compare-control">
        <label htmlFor={id}>{t('printPrep.compare')}</label>
        <input
          id={id}
          type="range"
          min={0}
          max={100}
          value={split}
          onChange={(e) => setSplit(Number(e.target.value))}
          aria-valuetext={t('printPrep.split', { n: split })}
          data-testid="compare-slider"
        />
      </figcaption>
    </figure>
  );
}
