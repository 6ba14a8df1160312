namespace LLMML.Rasp.Syntax;

/// <summary>A .rasp file cannot be parsed or evaluated; carries the 1-based line and column.</summary>
public sealed class RaspSyntaxException(int line, int column, string message)
    : Exception($"line {line}, column {column}: {message}")
{
    public int Line { get; } = line;
    public int Column { get; } = column;
    public string Problem { get; } = message;
}
