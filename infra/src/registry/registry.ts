import { EcrLifecyclePolicy } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { STAGE_NAMES, type StageName } from '@wordbatch/pipeline';
import { Construct } from 'constructs';

export interface RegistryProps {
  readonly repositoryNames: Readonly<Record<StageName, string>>;
  /** How many images each repository keeps; older ones are expired. */
  readonly keepImages: number;
  readonly forceDelete: boolean;
}

/** One private repository per stage image, scanned on push, pruned to the last N images. */
export class Registry extends Construct {
  readonly repositories: Readonly<Record<StageName, EcrRepository>>;

  constructor(scope: Construct, id: string, props: RegistryProps) {
    super(scope, id);
    const repositories = {} as Record<StageName, EcrRepository>;
    for (const stage of STAGE_NAMES) {
      const repository = new EcrRepository(this, stage, {
        name: props.repositoryNames[stage],
        // Mutable so that the default "latest" tag can be pushed again; pin a version or
        // a git SHA tag in `imageTag` for reproducible job definitions.
        imageTagMutability: 'MUTABLE',
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfiguration: [{ encryptionType: 'AES256' }],
        forceDelete: props.forceDelete,
      });
      new EcrLifecyclePolicy(this, `${stage}-lifecycle`, {
        repository: repository.name,
        policy: JSON.stringify({
          rules: [
            {
              rulePriority: 1,
              description: `Keep the last ${props.keepImages} images`,
              selection: {
                tagStatus: 'any',
                countType: 'imageCountMoreThan',
                countNumber: props.keepImages,
              },
              action: { type: 'expire' },
            },
          ],
        }),
      });
      repositories[stage] = repository;
    }
    this.repositories = repositories;
  }
}
