// The native dialogs, shell and clipboard as the main-process services see them, answered by a test: set
// `open` / `save` to the path the user "picks" (null: cancelled); `shown` and `copied` record what the app did.
export interface DesktopAnswers {
  open: string | null;
  save: string | null;
  shown: string[];
  copied: string[];
}

export function desktopAnswers(): DesktopAnswers {
  return { open: null, save: null, shown: [], copied: [] };
}

export function fakeDesktop(answers: DesktopAnswers = desktopAnswers()) {
  return {
    dialog: {
      showOpenDialog: async () => ({
        canceled: answers.open === null,
        filePaths: answers.open ? [answers.open] : [],
      }),
      showSaveDialog: async () => ({ canceled: answers.save === null, filePath: answers.save ?? '' }),
    },
    shell: { showItemInFolder: (path: string) => void answers.shown.push(path) },
    clipboard: { writeText: async (text: string) => void answers.copied.push(text) },
  };
}
