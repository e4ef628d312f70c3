export async function main(argv: string[]): Promise<number> {
  await Promise.resolve();
  console.log(argv);
  return 0;
}
