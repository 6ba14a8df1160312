using LLMML.LanguageModels.Answers;
using LLMML.LanguageModels.Checkpoints;
using LLMML.LanguageModels.Modeling;
using LLMML.LanguageModels.Tokenization;
using Microsoft.ML.Tokenizers;
using TorchSharp;
using static TorchSharp.torch;

namespace LLMML.LanguageModels.Generation;

/// <summary>
/// A model, its tokenizer and its device together: text in, text or log-probabilities out. The directory layout is a
/// Hugging Face checkpoint (config.json, safetensors) plus the tokenizer files <see cref="TokenizerStore"/> reads.
/// </summary>
public sealed class LanguageModel : IDisposable
{
    /// <summary>Wraps an existing model and tokenizer; the model is moved to <paramref name="device"/> (CPU when null).</summary>
    public LanguageModel(CausalLanguageModel model, Tokenizer tokenizer, Device? device = null)
    {
        Model = model ?? throw new ArgumentNullException(nameof(model));
        Tokenizer = tokenizer ?? throw new ArgumentNullException(nameof(tokenizer));
        TokenizerVocabulary.Check(tokenizer, model.Config.VocabularySize, "model and tokenizer");
        Device = device ?? model.Device;
        Model.to(Device);
    }

    public CausalLanguageModel Model { get; }
    public Tokenizer Tokenizer { get; }
    public Device Device { get; }
    public TransformerConfig Config => Model.Config;

    /// <summary>Id used for padding: config pad, else the character tokenizer's pad, else EOS, else 0.</summary>
    public long PadId => Config.PadTokenId ?? (Tokenizer as CharacterTokenizer)?.PadId ?? Config.EosTokenId ?? 0;

    /// <summary>The id sequences start from: config BOS, else the character tokenizer's BOS; null when the model has none.</summary>
    public int? BosId => (int?)(Config.BosTokenId ?? (Tokenizer as CharacterTokenizer)?.BosId);

    /// <summary>Token ids that end generation by default: config EOS and the character tokenizer's EOS.</summary>
    public IReadOnlyList<int> EndOfSequenceIds =>
        new[] { Config.EosTokenId, (Tokenizer as CharacterTokenizer)?.EosId }.OfType<long>().Select(v => (int)v).Distinct().ToArray();

    /// <summary>Loads checkpoint and tokenizer from <paramref name="directory"/> onto <paramref name="device"/>.</summary>
    public static LanguageModel Load(string directory, Device? device = null)
    {
        var tokenizer = TokenizerStore.Load(directory);
        var model = ModelCheckpoint.Load(directory, device);
        try
        {
            TokenizerVocabulary.Check(tokenizer, model.Config.VocabularySize, $"Checkpoint '{directory}'");
            return new LanguageModel(model, tokenizer, device);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Writes checkpoint (config.json, model.safetensors) and tokenizer files into <paramref name="directory"/> as one
    /// atomic replacement: a crash mid-save leaves the previous checkpoint complete.
    /// </summary>
    public void Save(string directory) =>
        Foundation.Persistence.AtomicDirectory.Write(directory, staging =>
        {
            ModelCheckpoint.WriteFiles(Model, staging);
            TokenizerStore.Save(Tokenizer, staging);
        }, name => ModelCheckpoint.IsCheckpointFile(name) || TokenizerStore.IsTokenizerFile(name));

    /// <summary>Token ids of <paramref name="text"/>; throws naming the text when the tokenizer emits an id the model cannot embed.</summary>
    public IReadOnlyList<int> Encode(string text)
    {
        var ids = Tokenizer.EncodeToIds(text);
        TokenizerVocabulary.CheckIds(ids, Config.VocabularySize, text);
        return ids;
    }

    public string Decode(IEnumerable<int> ids) => Tokenizer.Decode(ids) ?? "";

    /// <summary>Generates a continuation of each prompt (text after the prompt, cut before the first stop string).</summary>
    public IReadOnlyList<string> Generate(IReadOnlyList<string> prompts, GenerationOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var encoded = prompts.Select(EncodePrompt).ToArray();
        var stops = options.StopStrings.ToArray();
        var effective = options.StopTokenIds is null ? With(options, EndOfSequenceIds) : options;
        TokenGenerator.StopCondition? stop = stops.Length == 0 ? null
            : (_, generated) => stops.Any(Decode(generated).Contains);
        var ids = TokenGenerator.Generate(Model, encoded, effective, PadId, stop, cancellationToken);
        return ids.Select(g => CutAtStop(Decode(g), stops)).ToArray();
    }

    /// <summary>Generates a continuation of one prompt.</summary>
    public string Generate(string prompt, GenerationOptions options) => Generate([prompt], options)[0];

    /// <summary>
    /// Natural-log probability of each continuation token given the prompt (<see cref="ContinuationScorer"/>, <paramref name="batchSize"/> prompts per call). The continuation's tokens are those of
    /// tokenize(prompt + continuation) after tokenize(prompt) when that is a prefix (so merges across the boundary are
    /// scored as the model would see them), otherwise tokenize(continuation).
    /// </summary>
    public IReadOnlyList<float[]> ContinuationLogProbabilities(IReadOnlyList<(string Prompt, string Continuation)> pairs, int batchSize = 16, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var items = pairs.Select(p => EncodeContinuation(p.Prompt, p.Continuation)).Select(e => new PromptContinuations(e.Prompt, [e.Answer])).ToArray();
        var settings = new ContinuationScoring { PadId = PadId };
        return items.Chunk(batchSize).SelectMany(chunk => ContinuationScorer.TokenLogProbabilities(Model, chunk, settings, cancellationToken)).Select(r => r[0]).ToArray();
    }

    /// <summary>
    /// Token ids of a prompt and of the continuation after it: the continuation's tokens are those of
    /// tokenize(prompt + continuation) after tokenize(prompt) when that is a prefix (merges across the boundary are
    /// split as the model would see them), otherwise tokenize(continuation) without a leading BOS. An empty prompt
    /// becomes a lone BOS; the continuation may come out empty.
    /// </summary>
    public PromptAnswerTokens EncodeContinuation(string prompt, string continuation)
    {
        var (p, c) = EncodeContinuations(prompt, [continuation]);
        return new PromptAnswerTokens(p, c[0]);
    }

    /// <summary>The prompt's ids once and each continuation's ids, as <see cref="EncodeContinuation"/> splits them.</summary>
    public (int[] Prompt, int[][] Continuations) EncodeContinuations(string prompt, IReadOnlyList<string> continuations)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(continuations);
        var p = EncodePrompt(prompt);
        var result = new int[continuations.Count][];
        for (var k = 0; k < continuations.Count; k++)
        {
            var full = Encode(prompt + continuations[k]);
            result[k] = (full.Count >= p.Count && full.Take(p.Count).SequenceEqual(p)
                ? full.Skip(p.Count)
                : StripBos(Encode(continuations[k]))).ToArray();
        }
        return (p.ToArray(), result);
    }

    /// <summary>A deep copy on the same device: weights and their requires_grad flags; the tokenizer is shared (it is immutable).</summary>
    public LanguageModel Clone()
    {
        var copy = new CausalLanguageModel(Config);
        try
        {
            copy.to(Device);
            using var noGrad = no_grad();
            var source = Model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            var target = copy.named_parameters().ToList();
            if (source.Count != target.Count || target.Any(p => !source.ContainsKey(p.name)))
                throw new InvalidOperationException("The model's module tree differs from its config's (adapters installed?); merge or remove them before cloning.");
            foreach (var (name, parameter) in target)
            {
                parameter.copy_(source[name]);
                parameter.requires_grad = source[name].requires_grad;
            }
            copy.train(Model.training);
            return new LanguageModel(copy, Tokenizer, Device);
        }
        catch
        {
            copy.Dispose();
            throw;
        }
    }

    /// <summary>Log-probabilities of one continuation's tokens.</summary>
    public float[] ContinuationLogProbabilities(string prompt, string continuation) => ContinuationLogProbabilities([(prompt, continuation)])[0];

    public void Dispose() => Model.Dispose();

    /// <summary>A prompt's token ids; an empty prompt becomes a lone BOS, so there is always a position to predict from.</summary>
    /// <exception cref="ArgumentException">The prompt is empty and the model has no BOS token.</exception>
    public IReadOnlyList<int> EncodePrompt(string prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var ids = Encode(prompt);
        if (ids.Count > 0) return ids;
        var bos = BosId ?? throw new ArgumentException("The prompt is empty and the model has no BOS token to start from.", nameof(prompt));
        return [bos];
    }

    private IReadOnlyList<int> StripBos(IReadOnlyList<int> ids) =>
        ids.Count > 0 && Config.BosTokenId is { } bos && ids[0] == bos ? ids.Skip(1).ToArray() : ids;

    private static string CutAtStop(string text, string[] stops)
    {
        var cut = stops.Select(s => text.IndexOf(s, StringComparison.Ordinal)).Where(i => i >= 0).DefaultIfEmpty(text.Length).Min();
        return text[..cut];
    }

    private static GenerationOptions With(GenerationOptions o, IReadOnlyList<int> stopIds) => new()
    {
        MaxNewTokens = o.MaxNewTokens, Temperature = o.Temperature, TopK = o.TopK, TopP = o.TopP, Seed = o.Seed,
        StopStrings = o.StopStrings, StopTokenIds = stopIds,
    };
}
