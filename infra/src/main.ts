import { App } from 'cdktf';
import { ConfigError, loadConfig } from './config/load';
import { WordbatchStack } from './stack';

// Run from infra/ (the synth target and cdktf-cli both do): the config file and the
// documents folder are found relative to it. The output goes to CDKTF_OUTDIR or cdktf.out.
function main(): number {
  try {
    const { config, file, documentsDir, unknownEnv } = loadConfig({
      env: process.env,
      baseDir: process.cwd(),
    });
    for (const variable of unknownEnv) {
      console.warn(`warning: ${variable} is not a wordbatch infra setting (typo?); ignored`);
    }
    const app = new App();
    const stack = new WordbatchStack(app, config.namePrefix, { config, documentsDir });
    app.synth();
    console.error(
      `Synthesized stack "${config.namePrefix}" (${config.computeType}, ${config.region}) from ${file ?? 'defaults and environment'} into ${app.outdir}; ${stack.uploadedDocuments} document(s) to upload`,
    );
    return 0;
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
}

process.exitCode = main();
