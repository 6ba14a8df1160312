using LLMML.Rasp.Compiler;
using LLMML.Rasp.Evaluation;
using LLMML.Rasp.Syntax;
using LLMML.Rasp.Torch.Verification;

namespace LLMML.Rasp.Tests;

/// <summary>
/// A user's own .rasp file gets the library programs' agreement check (`llmml rasp check --file`),
/// and a bad file fails with one message naming the file.
/// </summary>
public sealed class ProgramFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("llmml-rasp-files-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void A_program_file_passes_the_agreement_check_against_the_evaluator()
    {
        var program = RaspScript.Load(Path.Combine(AppContext.BaseDirectory, "Programs", "reverse.rasp"));
        var report = AgreementCheck.Run("reverse.rasp", program, new RaspCompilerOptions { Vocabulary = RandomInputs.Chars("abc"), MaxLength = 5 },
            perLength: 20, seed: 3);
        report.Inputs.Should().Be(100);
        report.ModelAgreement.Should().Be(1);
        report.OracleAgreement.Should().Be(1);
        RaspEvaluator.Evaluate(program, RandomInputs.Chars("abc")).Should().Equal(RandomInputs.Chars("cba"));
    }

    [Fact]
    public void The_agreement_check_reports_a_model_that_disagrees_with_the_evaluator()
    {
        // A soft attention (coldness 0.5 instead of 100) mixes the tokens: the model is wrong and the check must say so.
        var path = Write("rev.rasp", File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Programs", "reverse.rasp")));
        var report = AgreementCheck.Run("rev", RaspScript.Load(path),
            new RaspCompilerOptions { Vocabulary = RandomInputs.Chars("abc"), MaxLength = 4, AttentionColdness = 0.5 }, 10, 1);
        report.ModelAgreement.Should().BeLessThan(1);
        report.FirstMismatch.Should().NotBeNull();
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var path = Path.Combine(_dir, "nope.rasp");
        FluentActions.Invoking(() => RaspScript.Load(path)).Should().Throw<FileNotFoundException>().WithMessage($"*{path}*");
        FluentActions.Invoking(() => RaspScript.Load(_dir)).Should().Throw<FileNotFoundException>().WithMessage($"*{_dir}*");
    }

    [Fact]
    public void A_malformed_file_is_named_with_line_and_column()
    {
        var path = Write("bad.rasp", "a = map(lambda t: t, tokens)\nx = select(tokens,\n  tokens, FOO)\n");
        var e = FluentActions.Invoking(() => RaspScript.Load(path)).Should().Throw<RaspSyntaxException>().Which;
        (e.File, e.Line).Should().Be((path, 3));
        e.Message.Should().StartWith($"{path}, line 3, column");
    }

    [Fact]
    public void A_binary_file_is_refused_naming_the_file()
    {
        var path = Path.Combine(_dir, "junk.rasp");
        File.WriteAllBytes(path, [0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 0xff, 0xfe]);
        FluentActions.Invoking(() => RaspScript.Load(path)).Should().Throw<RaspSyntaxException>().Where(e => e.File == path && e.Line == 1);
    }

    [Fact]
    public void A_lambda_failing_during_compilation_still_names_the_file()
    {
        var path = Write("rec.rasp", "f = lambda t: f(t)\ny = map(f, tokens)\n");
        var program = RaspScript.Load(path);
        FluentActions.Invoking(() => RaspCompiler.Compile(program, new RaspCompilerOptions { Vocabulary = RandomInputs.Chars("ab"), MaxLength = 3 }))
            .Should().Throw<RaspCompileException>().Where(e => e.Message.Contains($"{path}, line 1"));
    }
}
