using System.Reflection;
using System.Text;

namespace LLMML.Complexity.Strategies;

/// <summary>
/// A strategy's inference program: a real C# file (top-level statements) that loads the model (args[0]), reads the
/// payload file (args[1]) and prints one answer per line for the prompts of the inputs file (args[2]). It may use the
/// public LLMML API and .NET, which come for free like the model, but no complexity strategy or evaluator code. The
/// built-in ones are src/LLMML.Complexity/Programs/*.cs, embedded byte for byte; their length is those bytes.
/// Everything a configuration changes (rank, bit width, epochs, learning rate, …) travels in the payload.
/// </summary>
public sealed class FixedInferenceCode
{
    /// <param name="name">File name, e.g. "lora.cs".</param>
    /// <param name="text">The program's source, exactly as run.</param>
    public FixedInferenceCode(string name, string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        Name = name;
        Text = text;
    }

    /// <summary>The built-in programs: plain, prefix (hand-written prompts and in-context examples), prequential, lora, eigenprune, full.</summary>
    public static IReadOnlyList<string> BuiltInNames { get; } = ["plain", "prefix", "prequential", "lora", "eigenprune", "full"];

    /// <summary>File name.</summary>
    public string Name { get; }

    /// <summary>The source text.</summary>
    public string Text { get; }

    /// <summary>UTF-8 bytes of <see cref="Text"/>: the length of the code, as stored and as run.</summary>
    public int Bytes => Encoding.UTF8.GetByteCount(Text);

    /// <summary>A built-in program (<see cref="BuiltInNames"/>), byte for byte as stored in the repository.</summary>
    public static FixedInferenceCode BuiltIn(string name)
    {
        var resource = $"LLMML.Complexity.Programs.{name}.cs";
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new ArgumentException($"There is no built-in inference program '{name}'; known: {string.Join(", ", BuiltInNames)}.", nameof(name));
        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return new FixedInferenceCode(name + ".cs", new UTF8Encoding(false, true).GetString(bytes.ToArray()));
    }
}
