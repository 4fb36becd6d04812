// Registry of architectures by name: a misspelt name is a compile error in code and a listed error in the CLI.
import type { Arch } from './types';
import { resnet18k } from './resnet18k';
import { allcnn } from './allcnn';
import { cnn4 } from './cnn4';

export const archs = { resnet18k, allcnn, cnn4 } satisfies Record<string, Arch>;
export type ArchName = keyof typeof archs;
