using CodeLab.Runner;

// The sandbox entry point. Trusted code: candidate code never supplies an entry point (see DESIGN.md).
// Usage inside the container: CodeLab.Runner tests   (stdin: secret line, then a tar of the work files)
return await RunnerProgram.MainAsync(args);
