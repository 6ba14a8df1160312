namespace LLMML.Rasp.Syntax;

/// <summary>A .rasp file cannot be parsed or evaluated; carries the 1-based line and column (and the file, when read from one).</summary>
public sealed class RaspSyntaxException(int line, int column, string message, string? file = null)
    : Exception(file is null ? $"line {line}, column {column}: {message}" : $"{file}, line {line}, column {column}: {message}")
{
    public int Line { get; } = line;
    public int Column { get; } = column;
    public string Problem { get; } = message;
    /// <summary>The file the program was read from, or null for text.</summary>
    public string? File { get; } = file;
}
