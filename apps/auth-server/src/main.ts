// Built in its own issue.
export {};
