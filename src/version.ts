/** The package version, recorded in every output's metadata (a test keeps it equal to package.json). */
export const VERSION = '0.2.0';
