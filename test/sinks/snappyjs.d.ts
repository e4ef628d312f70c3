/** The slice of snappyjs (a test-only dependency) the tests use: an independent decoder. */
declare module 'snappyjs' {
  const snappy: {
    uncompress(input: Uint8Array): Uint8Array;
    compress(input: Uint8Array): Uint8Array;
  };
  export default snappy;
}
