export declare const DOWNLOAD_HOST: string;
export interface DesktopOptions {
  untrusted: boolean;
  dryRun: boolean;
  executable?: string;
  version?: string;
  probe?: boolean;
}
export declare function desktopOptions(
  argv: string[],
  env: Record<string, string | undefined>,
): DesktopOptions | { error: string };
export declare function reachable(host: string, ms?: number): Promise<boolean>;
export declare function runTestsOptions(opts: DesktopOptions): Record<string, unknown>;
