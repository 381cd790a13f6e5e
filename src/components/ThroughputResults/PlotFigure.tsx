import { type ReactNode, useEffect, useRef } from 'react';
import type * as PlotNS from '@observablehq/plot';

export type Plot = typeof PlotNS;

/**
 * An Observable Plot chart, drawn in the browser only: Plot builds SVG with the DOM, which the
 * static build does not have, so the figure's tables carry the numbers in the HTML and the chart
 * appears after hydration. Plot draws in currentColor, so dark mode needs nothing.
 */
export default function PlotFigure({ make, caption }: { make: (P: Plot) => Element; caption: string }): ReactNode {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let el: Element | undefined;
    let live = true;
    void import('@observablehq/plot').then((P) => {
      if (live && ref.current) ref.current.append((el = make(P)));
    });
    return () => {
      live = false;
      el?.remove();
    };
  }, [make]);
  return (
    <figure>
      <div ref={ref} data-plot="" />
      <figcaption>{caption}</figcaption>
    </figure>
  );
}
