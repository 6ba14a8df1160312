namespace LLMML.Rasp.Compiler;

/// <summary>A program cannot be compiled. <see cref="Node"/> is the label of the offending expression.</summary>
public sealed class RaspCompileException(string node, string rule) : Exception($"{node}: {rule}")
{
    /// <summary>The offending node, e.g. "aggregate 'reverse'".</summary>
    public string Node { get; } = node;

    /// <summary>The rule it breaks.</summary>
    public string Rule { get; } = rule;
}
