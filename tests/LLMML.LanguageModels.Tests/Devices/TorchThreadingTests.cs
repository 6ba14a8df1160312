using System.Runtime.InteropServices;
using LLMML.LanguageModels.Devices;

namespace LLMML.LanguageModels.Tests.Devices;

public class TorchThreadingTests
{
    [Fact]
    public void TheNativeEnvironmentAsksOpenMpToWaitPassivelyUnlessTheUserChoseOtherwise()
    {
        if (OperatingSystem.IsWindows()) return;
        var before = Environment.GetEnvironmentVariable(TorchThreading.WaitPolicyVariable);
        TorchThreading.PreferPassiveWaiting().Should().BeFalse("the module initializer already set it, or the user did");
        var native = Marshal.PtrToStringUTF8(getenv(TorchThreading.WaitPolicyVariable));
        native.Should().NotBeNull("libgomp reads the C environment, not .NET's copy");
        native.Should().Be(before);
    }

    [DllImport("libc")]
    private static extern nint getenv([MarshalAs(UnmanagedType.LPUTF8Str)] string name);
}
