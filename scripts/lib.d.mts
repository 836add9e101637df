export declare const ROOT: string
export declare function stopServices(): void
