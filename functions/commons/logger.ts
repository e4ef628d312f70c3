/** The functions' logger (Powertools): JSON lines with the function's context. */
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: 'scrape-check' });
