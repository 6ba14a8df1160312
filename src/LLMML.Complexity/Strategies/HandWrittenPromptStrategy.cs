namespace LLMML.Complexity.Strategies;

/// <summary>
/// Hand-written instructions put before every test prompt; each costs its arithmetic code under the model, so a
/// model that finds the instruction natural pays little for it.
/// </summary>
public sealed class HandWrittenPromptStrategy : IComplexityStrategy
{
    public const string StrategyName = "prompt";

    /// <param name="prompts">The prompts, each used verbatim as a prefix (end them with the separator you want, e.g. "\n").</param>
    public HandWrittenPromptStrategy(IEnumerable<string> prompts)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        Prompts = prompts.ToArray();
        if (Prompts.Count == 0) throw new ArgumentException("Give at least one hand-written prompt.", nameof(prompts));
        if (Prompts.Any(string.IsNullOrEmpty)) throw new ArgumentException("A hand-written prompt is empty (the plain strategy covers no prompt).", nameof(prompts));
    }

    public string Name => StrategyName;

    public IReadOnlyList<string> Prompts { get; }

    /// <summary>A few instructions for the built-in tasks (any other task gets a generic one).</summary>
    public static HandWrittenPromptStrategy ForTask(string taskName) => new(taskName switch
    {
        "int-sum" => ["Add the two numbers.\n", "Q: what is the sum?\n"],
        "int-mult" => ["Multiply the two numbers.\n", "x means times.\n"],
        "count" => ["Count how many times the letter x appears.\n"],
        "dyck" => ["Answer yes if every bracket is closed in the right order, otherwise no.\n"],
        _ => ["Answer the question.\n"],
    });

    public IEnumerable<ComplexityProgram> Programs(StrategyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        for (var i = 0; i < Prompts.Count; i++)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            var configuration = $"#{i + 1} \"{Prompts[i].ReplaceLineEndings("\\n")}\"";
            if (!context.FitsContext(Prompts[i]))
            {
                context.Note($"{Name} {configuration}: prompt + test rows exceed the model's context; skipped.");
                continue;
            }
            yield return CodedPrefix.Program(context, Prompts[i], configuration);
        }
    }
}
