using LLMML.Rasp.Language;

namespace LLMML.Rasp.Ir;

/// <summary>
/// One named residual-stream dimension: (variable, value) for categorical variables, just the
/// variable for numerical ones (Value is None). Its label is "name:value" or "name".
/// </summary>
public readonly record struct BasisDirection(string Name, RaspValue Value)
{
    /// <summary>A scalar (numerical) direction.</summary>
    public BasisDirection(string name) : this(name, RaspValue.None) { }

    public string Label => Value.IsNone ? Name : $"{Name}:{Value}";

    public override string ToString() => Label;
}
