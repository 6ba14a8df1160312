using LLMML.Complexity.Coding;
using LLMML.LanguageModels.Generation;
using LLMML.LanguageModels.Modeling;
using LLMML.LanguageModels.Tokenization;

namespace LLMML.Complexity.Tests.Coding;

public class LanguageModelCoderTests
{
    [Theory]
    [InlineData("")]
    [InlineData("7")]
    [InlineData("3 + 4 = 7\n5 + 1 = 6\n")]
    [InlineData("a 12 b 13? yes\nno\n0123456789 0123456789")]
    public void TextRoundTripsByRerunningTheModel(string text)
    {
        using var lm = TinyModels.Create(sharpen: 6);
        var coder = new LanguageModelCoder(lm);
        var coded = coder.EncodeText(text);
        coder.DecodeText(coded.Bits).Should().Be(text);
        coded.TokenCount.Should().Be(text.Length + 1);
    }

    /// <summary>
    /// The exact bound: L ≤ Σ −log₂ p + 2 + n·(log₂(T/(T − V)) + −log₂(1 − T/2⁶⁰)) + n·10⁻⁴, where p comes from unpadded
    /// double-precision forwards of each prefix (the last term covers float32-vs-float64 and padded-window differences
    /// of the logits), and also the form L ≤ 1.01·Σ −log₂ p + 2.
    /// </summary>
    [Theory]
    [InlineData(1.0, "3 + 4 = 7\n5 + 1 = 6\n2 + 2 = 4\n")]
    [InlineData(8.0, "3 + 4 = 7\n5 + 1 = 6\n2 + 2 = 4\n")]
    [InlineData(8.0, "yes no yes no yes no yes no yes no")]
    public void CodeLengthIsWithinTwoBitsOfTheIdealLength(double sharpen, string text)
    {
        using var lm = TinyModels.Create(seed: 3, sharpen: sharpen);
        var coder = new LanguageModelCoder(lm);
        var tokens = coder.Tokens(text).Append(coder.EndId).ToArray();
        var naive = TinyModels.NaiveBits(lm, coder.StartId, tokens);
        var n = tokens.Length;
        var perToken = FrequencyTable.QuantisationLossPerSymbol((int)lm.Config.VocabularySize) + CoderGeometry.RoundingLossPerSymbol(FrequencyTable.DefaultTotal);

        var coded = coder.EncodeText(text);

        coded.Bits.BitLength.Should().BeLessThanOrEqualTo((long)Math.Floor(naive + 2 + n * (perToken + 1e-4)));
        coded.Bits.BitLength.Should().BeLessThanOrEqualTo((long)Math.Floor(1.01 * naive + 2));
        coded.Bits.BitLength.Should().BeGreaterThanOrEqualTo((long)Math.Floor(naive - n * 1e-4));
        coded.IdealBits.Should().BeApproximately(naive, n * 1e-4);
    }

    [Fact]
    public void RowsOfDifferentLengthsRoundTripTogether()
    {
        using var lm = TinyModels.Create(seed: 5, sharpen: 4);
        var coder = new LanguageModelCoder(lm);
        var rows = new[] { "1 + 2 = 3", "", "9 x 9 = 81 yes", "no" }.Select(coder.Tokens).ToArray();
        var encoder = new ArithmeticEncoder();
        var ideal = coder.EncodeRows(encoder, rows);
        var code = encoder.Finish();
        var decoded = coder.DecodeRows(new ArithmeticDecoder(code), rows.Length);
        decoded.Should().BeEquivalentTo(rows, o => o.WithStrictOrdering());
        var naive = rows.Sum(r => TinyModels.NaiveBits(lm, coder.StartId, r.Append(coder.EndId).ToArray()));
        ideal.Should().BeApproximately(naive, 1e-2);
        code.BitLength.Should().BeLessThanOrEqualTo((long)Math.Floor(naive + 2 + 1e-2));
    }

    [Fact]
    public void TextOutsideTheAlphabetIsRefused()
    {
        using var lm = TinyModels.Create();
        var coder = new LanguageModelCoder(lm);
        var act = () => coder.Tokens("3 + 4 = 7 (Z)");
        act.Should().Throw<ArgumentException>().WithMessage("*cannot encode*<unk>*");
    }

    [Fact]
    public void RowsLongerThanTheWindowAreRefused()
    {
        using var lm = TinyModels.Create(context: 8);
        var coder = new LanguageModelCoder(lm);
        var act = () => coder.EncodeRows(new ArithmeticEncoder(), [coder.Tokens("12345678")]);
        act.Should().Throw<ArgumentException>().WithMessage("*at most 7*");
    }

    [Fact]
    public void AModelWithoutBosCannotCode()
    {
        using var lm = new LanguageModel(new CausalLanguageModel(TransformerConfig.Gpt2(8, 1, 2, 50257, 8) with { BosTokenId = null }), TokenizerStore.Gpt2Tiktoken());
        var act = () => new LanguageModelCoder(lm);
        act.Should().Throw<ArgumentException>().WithMessage("*BOS*");
    }
}
