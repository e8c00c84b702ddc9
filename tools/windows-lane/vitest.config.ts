import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  // .lane/ holds the lane's tree of links to other packages' tests: never ours to run.
  test: { testTimeout: 60_000, exclude: [...configDefaults.exclude, '.lane/**'] },
});
