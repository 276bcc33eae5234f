import { Testing } from 'cdktf';
// Brings the global typings of the matchers below (toHaveResourceWithProperties & co.).
import type {} from 'cdktf/lib/testing/adapters/jest';

Testing.setupJest();
