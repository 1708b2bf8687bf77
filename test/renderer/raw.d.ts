// Vite's ?raw imports: a file's text (the palette test reads the stylesheet as the canvas does).
declare module '*?raw' {
  const text: string;
  export default text;
}
