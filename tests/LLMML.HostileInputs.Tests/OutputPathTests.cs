using LLMML.Foundation.Persistence;
using LLMML.HostileInputs.Tests.Support;

namespace LLMML.HostileInputs.Tests;

/// <summary>The one output-path guard: no output may be an input (after links), lie inside an input directory, or be unwritable.</summary>
public sealed class OutputPathTests : IDisposable
{
    private readonly Sandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public void An_output_that_is_the_input_is_refused()
    {
        var input = _sandbox.At("papers.jsonl");
        File.WriteAllText(input, "{}\n");

        var act = () => OutputPath.CheckFile(input, input);

        act.Should().Throw<OutputPathException>().WithMessage("*is the input*");
    }

    [Fact]
    public void An_output_that_reaches_the_input_through_a_symbolic_link_is_refused()
    {
        var data = Directory.CreateDirectory(_sandbox.At("data")).FullName;
        File.WriteAllText(Path.Combine(data, "papers.jsonl"), "{}\n");
        Directory.CreateSymbolicLink(_sandbox.At("alias"), data);

        var act = () => OutputPath.CheckFile(_sandbox.At("alias", "papers.jsonl"), Path.Combine(data, "papers.jsonl"));

        act.Should().Throw<OutputPathException>().WithMessage("*is the input*");
    }

    [Fact]
    public void An_output_inside_an_input_directory_is_refused()
    {
        var model = TinyCheckpoint.Write(_sandbox.At("model"));

        var act = () => OutputPath.CheckFile(Path.Combine(model, "model.safetensors"), model);

        act.Should().Throw<OutputPathException>().WithMessage("*inside the input directory*");
    }

    [Fact]
    public void An_output_directory_containing_an_input_is_refused()
    {
        var model = TinyCheckpoint.Write(_sandbox.At("runs", "model"));

        var act = () => OutputPath.CheckDirectory(_sandbox.At("runs"), model);

        act.Should().Throw<OutputPathException>().WithMessage("*contains the input*");
    }

    [Fact]
    public void A_directory_given_as_an_output_file_is_refused()
    {
        var act = () => OutputPath.CheckFile(_sandbox.Root);

        act.Should().Throw<OutputPathException>().WithMessage("*is a directory*");
    }

    [Fact]
    public void An_output_under_a_file_is_refused()
    {
        File.WriteAllText(_sandbox.At("plain"), "x");

        var act = () => OutputPath.CheckFile(_sandbox.At("plain", "out.csv"));

        act.Should().Throw<OutputPathException>().WithMessage("*is a file, not a directory*");
    }

    [Fact]
    public void A_fresh_output_elsewhere_passes_and_leaves_no_trace()
    {
        var input = _sandbox.At("in.txt");
        File.WriteAllText(input, "x");
        var before = _sandbox.Fingerprint();

        OutputPath.CheckFile(_sandbox.At("new", "out.csv"), input).Should().Be(_sandbox.At("new", "out.csv"));
        OutputPath.CheckDirectory(_sandbox.At("export"), input);

        _sandbox.ShouldBeUnchangedExcept(before);
    }
}
