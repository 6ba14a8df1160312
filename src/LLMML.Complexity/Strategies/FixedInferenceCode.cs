using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;

namespace LLMML.Complexity.Strategies;

/// <summary>
/// The text of a strategy's decoding program, with <c>{name}</c> placeholders for its configuration. The built-in ones
/// are embedded resources (src/LLMML.Complexity/Programs/*.txt, shown in docs/complexity.md): minimal Python-style
/// programs over a runtime that comes with the model for free (the model M, greedy first-word decoding, this library's
/// arithmetic decoder, an AdamW step, LoRA). A user strategy passes its own text.
/// </summary>
public sealed partial class FixedInferenceCode
{
    public FixedInferenceCode(string template)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(template);
        Template = template;
    }

    /// <summary>The program text with placeholders.</summary>
    public string Template { get; }

    /// <summary>A built-in program: plain-prompt, coded-prefix, prequential, lora, full-fine-tune.</summary>
    public static FixedInferenceCode BuiltIn(string name)
    {
        var resource = $"LLMML.Complexity.Programs.{name}.txt";
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new ArgumentException($"There is no built-in inference program '{name}'.", nameof(name));
        using var reader = new StreamReader(stream);
        return new FixedInferenceCode(reader.ReadToEnd().ReplaceLineEndings("\n"));
    }

    /// <summary>The text with every placeholder replaced (numbers in invariant culture).</summary>
    /// <exception cref="ArgumentException">A placeholder has no value, or a value names no placeholder.</exception>
    public string Render(params (string Name, object Value)[] parameters)
    {
        var values = parameters.ToDictionary(p => p.Name, p => Convert.ToString(p.Value, CultureInfo.InvariantCulture) ?? "", StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        var text = Placeholder().Replace(Template, m =>
        {
            var name = m.Groups[1].Value;
            if (!values.TryGetValue(name, out var value)) throw new ArgumentException($"The inference program needs a value for {{{name}}}.", nameof(parameters));
            used.Add(name);
            return value;
        });
        var unused = values.Keys.FirstOrDefault(k => !used.Contains(k));
        if (unused is not null) throw new ArgumentException($"The inference program has no placeholder {{{unused}}}.", nameof(parameters));
        return text;
    }

    [GeneratedRegex(@"\{([a-z_]+)\}")]
    private static partial Regex Placeholder();
}
