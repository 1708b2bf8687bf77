// Export of the visible sequence diagram for slides and handouts: PNG (the canvas as shown, at the screen's
// pixel density) or SVG (the same drawing code writing vector shapes), saved through main's save dialog.
import { useState } from 'react';
import { call, messageOf } from '../../api';
import { drawFrame, type Drawing } from '../../timeline/draw';
import { SvgPen } from '../../timeline/svgPen';

interface Props {
  drawing: () => Drawing | null;
  canvas: () => HTMLCanvasElement | null;
}

function svgOf(drawing: Drawing): string {
  const pen = new SvgPen(document.createElement('canvas').getContext('2d')!);
  // Packets in flight are drawn where they are now.
  drawFrame(pen, drawing);
  return pen.document(drawing.vp.width, drawing.vp.height, 'P2MP-FTP sequence diagram');
}

export function DiagramExport({ drawing, canvas }: Props) {
  const [note, setNote] = useState<string | null>(null);
  const save = async (format: 'png' | 'svg'): Promise<void> => {
    const shown = drawing();
    const element = canvas();
    if (!shown || !element) return;
    const data =
      format === 'png'
        ? element.toDataURL('image/png').replace(/^data:image\/png;base64,/, '')
        : svgOf(shown);
    try {
      const path = await call('diagram:save', { format, data });
      setNote(path ? `Saved to ${path}` : null);
    } catch (error) {
      setNote(messageOf(error));
    }
  };
  return (
    <span className="diagram-export">
      <button type="button" onClick={() => void save('png')}>
        Save PNG…
      </button>
      <button type="button" onClick={() => void save('svg')}>
        Save SVG…
      </button>
      <span role="status">{note}</span>
    </span>
  );
}
