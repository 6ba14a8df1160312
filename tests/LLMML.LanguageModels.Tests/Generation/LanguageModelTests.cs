using LLMML.LanguageModels.Answers;
using LLMML.LanguageModels.Generation;
using LLMML.LanguageModels.Modeling;
using LLMML.LanguageModels.Tests.Modeling;
using LLMML.LanguageModels.Tokenization;
using static TorchSharp.torch;

namespace LLMML.LanguageModels.Tests.Generation;

public sealed class LanguageModelTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "llmml-lm-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, true);
    }

    private static LanguageModel Create()
    {
        var tokenizer = new CharacterTokenizer("0123456789+=abc ");
        var config = TransformerConfig.Gpt2(hidden: 16, layers: 2, heads: 2, vocabulary: tokenizer.VocabularySize, positions: 64) with
        {
            BosTokenId = tokenizer.BosId,
            EosTokenId = tokenizer.EosId,
            PadTokenId = tokenizer.PadId,
        };
        return new LanguageModel(TinyModels.Randomise(new CausalLanguageModel(config), 91), tokenizer, CPU);
    }

    [Fact]
    public void StopStringsCutTheTextBeforeTheirFirstOccurrence()
    {
        using var lm = Create();
        var free = lm.Generate("12+3=", new GenerationOptions { MaxNewTokens = 16, StopTokenIds = [] });
        free.Length.Should().BeGreaterThan(6);
        var stop = free.Substring(4, 2);
        var expected = free[..free.IndexOf(stop, StringComparison.Ordinal)];

        var stopped = lm.Generate("12+3=", new GenerationOptions { MaxNewTokens = 16, StopTokenIds = [], StopStrings = [stop] });

        stopped.Should().Be(expected);
    }

    [Fact]
    public void SaveAndLoadKeepModelTokenizerAndGenerations()
    {
        using var lm = Create();
        var options = new GenerationOptions { MaxNewTokens = 10, Temperature = 0.8, Seed = 4 };
        var before = lm.Generate(["1+1=", "22+9="], options);
        var scores = lm.ContinuationLogProbabilities("1+1=", "2");
        lm.Save(_dir);

        File.Exists(Path.Combine(_dir, CharacterTokenizer.FileName)).Should().BeTrue();
        using var loaded = LanguageModel.Load(_dir, CPU);
        loaded.Tokenizer.Should().BeOfType<CharacterTokenizer>();
        loaded.Generate(["1+1=", "22+9="], options).Should().Equal(before);
        loaded.ContinuationLogProbabilities("1+1=", "2").Should().Equal(scores);
    }

    [Fact]
    public void ContinuationLogProbabilitiesScoreTheContinuationTokens()
    {
        using var lm = Create();
        var promptIds = lm.Encode("7+8=");
        var scores = lm.ContinuationLogProbabilities("7+8=", "15");
        scores.Should().HaveCount(2);
        var direct = ContinuationScorer.TokenLogProbabilities(lm.Model, [new(promptIds.ToArray(), [lm.Encode("15").ToArray()])], new ContinuationScoring { PadId = lm.PadId })[0][0];
        scores.Should().Equal(direct);
        scores.Should().OnlyContain(s => s < 0);
    }
}
