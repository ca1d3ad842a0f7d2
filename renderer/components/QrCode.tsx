import { useMemo } from 'react';
import { encode } from 'uqr';

/** A QR code drawn as SVG squares: no canvas, no inline HTML, nothing the page's CSP must allow. */
export function QrCode({ text, label }: { text: string; label: string }) {
  const { size, cells } = useMemo(() => {
    const qr = encode(text, { ecc: 'M', border: 2 });
    const dark: [number, number][] = [];
    qr.data.forEach((row, y) => row.forEach((on, x) => on && dark.push([x, y])));
    return { size: qr.size, cells: dark };
  }, [text]);
  return (
    <svg
      className="qr-code"
      viewBox={`0 0 ${size} ${size}`}
      role="img"
      aria-label={label}
      data-testid="qr-code"
      shapeRendering="crispEdges"
    >
      <rect width={size} height={size} fill="#fff" />
      {cells.map(([x, y]) => (
        <rect key={`${x},${y}`} x={x} y={y} width={1} height={1} fill="#000" />
      ))}
    </svg>
  );
}
