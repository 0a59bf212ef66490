/** The callout type of saved transcripts; never treated as runnable. */
export const TRANSCRIPT_CALLOUT = "grpc-transcript";
