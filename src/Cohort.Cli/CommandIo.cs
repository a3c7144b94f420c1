namespace Cohort.Cli;

/// <summary>Where a command writes (its result on <see cref="Out"/>, progress and errors on <see cref="Error"/>) and what stops it.</summary>
internal sealed record CommandIo(TextWriter Out, TextWriter Error, CancellationToken Cancel);
