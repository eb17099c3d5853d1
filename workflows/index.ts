export { cascade } from './cascade';
