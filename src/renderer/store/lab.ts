// The Experiments screen's state: the form, and the live lab run folded from main's batches (pure, tested
// without React). A batch carries the whole record when its shape changed, else only the points that changed.
import type { FileInfo, LabBatch, LabRequest, LabStatus } from '../../shared/contract';
import { COURSE_STUDY_IDS, DEFAULT_REPEAT, STUDY_IDS, type StudyId } from '../../shared/lab/studies';
import { type LabRecord } from '../../shared/lab/results';

/** The lab run main reports: its status and its results so far. */
export interface LabView {
  status: LabStatus;
  record: LabRecord | null;
}

export interface LabForm {
  /** One study, the course's three, or all of them. */
  studies: StudyId | 'course' | 'all';
  repeat: number;
  /** Send a generated file of fileKiB, or the chosen file. */
  generated: boolean;
  fileKiB: number;
  file: FileInfo | null;
  timeoutMs: number;
  /** null: random (the record keeps the one used). */
  seed: number | null;
}

/** The course used T = 0.1 s; 0.01 s runs a study about ten times faster, in minutes. */
export const CLASS_TIMEOUT_MS = 10;
export const COURSE_TIMEOUT_MS = 100;

export const DEFAULT_LAB_FORM: LabForm = {
  studies: 'course',
  repeat: DEFAULT_REPEAT,
  generated: true,
  fileKiB: 1024,
  file: null,
  timeoutMs: CLASS_TIMEOUT_MS,
  seed: null,
};

export function labRequestOf(form: LabForm): LabRequest {
  return {
    studies:
      form.studies === 'course'
        ? [...COURSE_STUDY_IDS]
        : form.studies === 'all'
          ? [...STUDY_IDS]
          : [form.studies],
    repeat: form.repeat,
    file: form.generated ? null : (form.file?.path ?? null),
    fileSize: form.fileKiB * 1024,
    timeoutMs: form.timeoutMs,
    seed: form.seed,
  };
}

export function isLabRunning(view: LabView | null | undefined): boolean {
  const phase = view?.status.phase;
  return phase === 'starting' || phase === 'calibrating' || phase === 'running';
}

export function applyLabBatch(previous: LabView | null | undefined, batch: LabBatch): LabView {
  let record = batch.record ?? (batch.fresh ? null : (previous?.record ?? null));
  if (record && batch.points.length > 0) {
    const studies = record.studies.map((study) => {
      const updates = batch.points.filter((u) => u.study === study.id);
      if (updates.length === 0) return study;
      const points = [...study.points];
      for (const u of updates) if (u.index >= 0 && u.index < points.length) points[u.index] = u.result;
      return { ...study, points };
    });
    record = { ...record, studies };
  }
  return { status: batch.status, record };
}
