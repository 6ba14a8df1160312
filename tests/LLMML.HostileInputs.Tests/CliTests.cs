using System.Reflection;
using LLMML.Cli.Commands;
using LLMML.HostileInputs.Tests.Support;

namespace LLMML.HostileInputs.Tests;

/// <summary>What `llmml` prints for bad input: one line and exit 2; for our bugs a short line, a report path and exit 70.</summary>
[Collection("cli")]
public sealed class CliTests : IDisposable
{
    private readonly Sandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    private string Model() => TinyCheckpoint.Write(_sandbox.At("model"));

    private static void ShouldBeOneClearLine(Llmml.Outcome outcome, string fragment)
    {
        outcome.ExitCode.Should().Be(2, outcome.Error);
        outcome.ErrorLines.Should().ContainSingle().Which.Should().StartWith("llmml: ").And.Contain(fragment);
    }

    [Fact]
    public async Task Limit_zero_names_the_option()
    {
        ShouldBeOneClearLine(await Llmml.Run("eval", "--model", Model(), "--task", "int-mult", "--limit", "0"), "--limit must be at least 1");
    }

    [Fact]
    public async Task An_infinite_temperature_is_refused_in_one_line()
    {
        ShouldBeOneClearLine(await Llmml.Run("generate", "--model", Model(), "--prompt", "1+1=", "--temperature", "Infinity"),
            "Temperature must be a finite number");
    }

    [Fact]
    public async Task An_empty_stop_string_is_refused_instead_of_disabling_the_default_stop()
    {
        ShouldBeOneClearLine(await Llmml.Run("generate", "--model", Model(), "--prompt", "1+1=", "--stop", ""), "stop string is empty");
    }

    [Fact]
    public async Task Saving_into_the_model_directory_is_refused_before_any_work()
    {
        var model = Model();
        var before = _sandbox.Fingerprint();

        var outcome = await Llmml.Run("eigenprune", "--model", model, "--task", "int-mult", "--save", Path.Combine(model, "model.safetensors"));

        ShouldBeOneClearLine(outcome, "inside the input directory");
        _sandbox.ShouldBeUnchangedExcept(before);
    }

    [Fact]
    public async Task Exporting_over_the_model_is_refused()
    {
        var model = Model();
        ShouldBeOneClearLine(await Llmml.Run("eigenprune", "--model", model, "--task", "int-mult", "--export", model), "is the input");
    }

    [Fact]
    public async Task A_directory_as_an_output_file_is_refused_before_any_work()
    {
        ShouldBeOneClearLine(await Llmml.Run("complexity", "--models", Model(), "--task", "int-mult", "--plot", _sandbox.Root), "is a directory");
    }

    [Fact]
    public async Task A_missing_model_directory_is_one_line()
    {
        ShouldBeOneClearLine(await Llmml.Run("generate", "--model", _sandbox.At("nowhere"), "--prompt", "x"), "does not exist");
    }

    [Theory]
    [MemberData(nameof(UserCaused))]
    public void User_caused_exceptions_map_to_one_line_and_exit_2(Exception thrown, string fragment)
    {
        var error = new StringWriter();

        var code = UserErrors.Report(thrown, [], error);

        code.Should().Be(2);
        var lines = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().ContainSingle().Which.Should().Contain(fragment).And.NotContain("(Parameter").And.NotContain("Actual value");
    }

    public static TheoryData<Exception, string> UserCaused => new()
    {
        { new UnauthorizedAccessException("Access to the path '/x' is denied."), "/x" },
        { new OverflowException("Value was either too large or too small for an Int32."), "too large" },
        { new FormatException("The input string 'abc' was not in a correct format."), "abc" },
        { new TargetInvocationException(new InvalidDataException("labels.npy: bad header")), "labels.npy" },
        { new AggregateException(new TargetInvocationException(new FormatException("bad number"))), "bad number" },
        { new ArgumentOutOfRangeException("Temperature", double.PositiveInfinity, "Temperature must be finite."), "Temperature must be finite." },
        { new System.Runtime.InteropServices.ExternalException("can't allocate 4398046511104 bytes\nException raised from ... (most recent call first):\nframe #0: c10::Error"), "can't allocate" },
        { new System.Text.Json.JsonException("'}' is invalid after a value."), "invalid after a value" },
    };

    [Fact]
    public void A_bug_prints_a_short_line_and_a_report_path_not_a_stack_trace()
    {
        var error = new StringWriter();
        Exception thrown;
        try { throw new NullReferenceException("Object reference not set to an instance of an object."); }
        catch (Exception e) { thrown = e; }

        var code = UserErrors.Report(thrown, ["eval", "--model", "m"], error);

        code.Should().Be(UserErrors.BugExit);
        var text = error.ToString();
        text.Should().NotContain(" at ", "no stack trace on the console");
        var path = text.Split("details in ")[1].Split(' ')[0];
        File.ReadAllText(path).Should().Contain("NullReferenceException").And.Contain(" at ").And.Contain("\"--model\"");
        File.Delete(path);
    }
}
