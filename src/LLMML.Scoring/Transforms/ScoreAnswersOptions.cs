using System.Text.Json.Serialization;
using LLMML.MLNet.Catalog;
using LLMML.MLNet.Tasks;

namespace LLMML.Scoring.Transforms;

/// <summary>
/// Settings of <c>mlContext.Llm().ScoreAnswers(...)</c>: which language model, which columns, and which of the three
/// outputs to compute — closed-set <c>Score</c>/<c>PredictedLabel</c> (<see cref="AnswerSet"/>), the gold answer's
/// log-likelihood (<see cref="AnswerColumn"/>) and a greedy completion (<see cref="Generate"/>).
/// </summary>
public class ScoreAnswersOptions : LlmOptionsBase
{
    /// <summary>Hugging Face checkpoint directory (config.json, safetensors, tokenizer files) loaded at Fit, unless a model is given.</summary>
    public string? ModelDirectory { get; set; }

    /// <summary>Text column with the prompts.</summary>
    public string PromptColumn { get; set; } = TaskDataViews.PromptColumn;

    /// <summary>Text column with the gold answers (no leading space); null = no <c>AnswerLogLikelihood</c>/<c>AnswerTokenCount</c> output.</summary>
    public string? AnswerColumn { get; set; } = TaskDataViews.AnswerColumn;

    /// <summary>The closed answer set (key order of <c>PredictedLabel</c>); null = no <c>Score</c>/<c>PredictedLabel</c> output.</summary>
    public IReadOnlyList<string>? AnswerSet { get; set; }

    /// <summary>
    /// Text scored after every answer (candidates and gold alike): log p(" " + answer + terminator | prompt). Without it a
    /// candidate that is a token-prefix of another (" 9" of " 95" under a character tokenizer) can never score lower
    /// than the longer one, so closed-set arg-max would favour short answers. "\n" fits line-oriented task formats;
    /// use "" only when every answer is one token (the eigenpruning paper's setting), where no prefix problem exists.
    /// </summary>
    public string AnswerTerminator { get; set; } = "\n";

    /// <summary>Also write a greedy completion of each prompt to <c>Generated</c> (for exact-match accuracy).</summary>
    public bool Generate { get; set; }

    /// <summary>Upper bound on generated tokens.</summary>
    public int MaxNewTokens { get; set; } = 16;

    /// <summary>
    /// Stop a row's generation once its first word is complete (exact match only reads the first word). Off = run to
    /// <see cref="MaxNewTokens"/> or end-of-sequence, as <c>LanguageModel.Generate</c> does.
    /// </summary>
    public bool StopAfterFirstWord { get; set; } = true;

    /// <summary>
    /// When prompt plus continuation exceeds the model's context, keep the end of the prompt (the part next to the answer);
    /// off = throw naming the row.
    /// </summary>
    public bool TruncateLongPrompts { get; set; } = true;

    /// <summary>Upper bound on logits held at once (rows × positions × vocabulary); larger batches are split into several forwards.</summary>
    public long MaxLogitsPerForward { get; set; } = 64L << 20;

    /// <summary>
    /// Run each prompt once and share its key/value cache across the answer trie's paths (default). Off recomputes the
    /// prompt for every path — the former, slower scorer, kept for <c>llmml bench eval</c>; not saved.
    /// </summary>
    [JsonIgnore]
    public bool SharePromptCache { get; set; } = true;

    /// <summary>Checked between batches and generation steps; not saved.</summary>
    [JsonIgnore]
    public CancellationToken CancellationToken { get; set; }

    /// <summary>Options for <paramref name="task"/>: its answer set when <paramref name="closedSet"/>, gold answers from <c>Answer</c>.</summary>
    /// <exception cref="ArgumentException">A closed set is asked for but the task's answers are open-ended.</exception>
    public static ScoreAnswersOptions ForTask(LlmTask task, bool closedSet = true, string? modelDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (closedSet && task.AnswerSet is null)
            throw new ArgumentException(
                $"Task '{task.Name}' has open-ended answers, so there is no closed answer set to score (Score/PredictedLabel need one). " +
                "Pass closedSet: false to compute only the answer log-likelihood and generations.", nameof(closedSet));
        return new ScoreAnswersOptions { ModelDirectory = modelDirectory, AnswerSet = closedSet ? task.AnswerSet : null };
    }

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        if (string.IsNullOrWhiteSpace(PromptColumn)) throw new ArgumentException("PromptColumn must name a text column.", nameof(PromptColumn));
        if (AnswerColumn is { } a && string.IsNullOrWhiteSpace(a)) throw new ArgumentException("AnswerColumn must name a text column or be null.", nameof(AnswerColumn));
        if (AnswerSet is { } set)
        {
            if (set.Count < 2) throw new ArgumentException($"AnswerSet has {set.Count} answer(s); a closed answer set needs at least two.", nameof(AnswerSet));
            var dup = set.GroupBy(s => s, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1)?.Key;
            if (dup is not null) throw new ArgumentException($"AnswerSet lists '{dup}' twice.", nameof(AnswerSet));
            if (set.Any(string.IsNullOrEmpty)) throw new ArgumentException("AnswerSet contains an empty answer.", nameof(AnswerSet));
        }
        if (AnswerTerminator is null) throw new ArgumentNullException(nameof(AnswerTerminator), "AnswerTerminator must be a string (\"\" for none).");
        if (MaxNewTokens < 1) throw new ArgumentOutOfRangeException(nameof(MaxNewTokens), MaxNewTokens, "MaxNewTokens must be at least 1.");
        if (MaxLogitsPerForward < 1) throw new ArgumentOutOfRangeException(nameof(MaxLogitsPerForward), MaxLogitsPerForward, "MaxLogitsPerForward must be at least 1.");
        if (AnswerSet is null && AnswerColumn is null && !Generate)
            throw new ArgumentException("Nothing to compute: set AnswerSet (Score/PredictedLabel), AnswerColumn (AnswerLogLikelihood) or Generate (Generated).");
    }

    /// <summary>A copy, so an estimator or transformer keeps the settings it was created with; derived options copy their lists too.</summary>
    public virtual ScoreAnswersOptions Clone()
    {
        var copy = (ScoreAnswersOptions)MemberwiseClone();
        copy.AnswerSet = AnswerSet?.ToArray();
        return copy;
    }
}
