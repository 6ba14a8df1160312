using LLMML.LanguageModels.Tokenization;
using Microsoft.ML.Tokenizers;

namespace LLMML.LanguageModels.Tests.Tokenization;

public class SentencePieceTests
{
    // Merged pieces carry higher scores the earlier BPE applies them.
    private static byte[] TinyModel() => new SentencePieceModelBuilder()
        .Piece("<unk>", 0, SentencePieceModelBuilder.Unknown) // 0
        .Piece("<s>", 0, SentencePieceModelBuilder.Control) // 1
        .Piece("</s>", 0, SentencePieceModelBuilder.Control) // 2
        .Piece("he", -1) // 3
        .Piece("ll", -2) // 4
        .Piece("▁he", -3) // 5
        .Piece("llo", -4) // 6
        .Piece("▁hello", -5) // 7
        .Piece("or", -6) // 8
        .Piece("▁w", -7) // 9
        .Piece("▁wor", -8) // 10
        .Piece("ld", -9) // 11
        .Piece("▁", -10).Piece("h", -11).Piece("e", -12).Piece("l", -13) // 12..15
        .Piece("o", -14).Piece("w", -15).Piece("r", -16).Piece("d", -17) // 16..19
        .BuildBpe();

    [Fact]
    public void LoadsAHandBuiltModelAndEncodesAsBpeByHand()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("tokenizer.model"), TinyModel());

        var tokenizer = TokenizerStore.Load(dir.Path);

        tokenizer.Should().BeAssignableTo<SentencePieceTokenizer>();
        // "▁hello▁world" by hand: he, ll, ▁he, llo, ▁hello, or, ▁w, ▁wor, ld → ▁hello ▁wor ld; BOS added by default.
        var ids = tokenizer.EncodeToIds("hello world");
        ids.Should().Equal(1, 7, 10, 11);
        tokenizer.Decode(ids).Should().Be("hello world");
        // 'x' is not a piece and there is no byte fallback.
        tokenizer.EncodeToIds("hex").Should().Equal(1, 5, 0);
    }

    [Fact]
    public void HonoursTokenizerConfigBosEosFlagsAndSavesBack()
    {
        using var dir = new TempDirectory();
        using var copy = new TempDirectory();
        File.WriteAllBytes(dir.File("tokenizer.model"), TinyModel());
        File.WriteAllText(dir.File("tokenizer_config.json"), """{ "add_bos_token": false, "add_eos_token": true }""");

        var tokenizer = TokenizerStore.Load(dir.Path);
        tokenizer.EncodeToIds("hello").Should().Equal(7, 2);

        TokenizerStore.Save(tokenizer, copy.Path);
        File.ReadAllBytes(copy.File("tokenizer.model")).Should().Equal(File.ReadAllBytes(dir.File("tokenizer.model")));
        TokenizerStore.Load(copy.Path).EncodeToIds("hello world").Should().Equal(7, 10, 11, 2);
    }

    [Fact]
    public void CorruptModelFailsNamingTheFile()
    {
        using var dir = new TempDirectory();
        var bytes = TinyModel();
        File.WriteAllBytes(dir.File("tokenizer.model"), bytes[..(bytes.Length / 2)]);

        FluentActions.Invoking(() => TokenizerStore.Load(dir.Path)).Should()
            .Throw<InvalidDataException>().WithMessage($"*{dir.File("tokenizer.model")}*");
    }
}
