using System.Text.Json;
using System.Text.Json.Serialization;
using ExampleService.Infrastructure.Security;
using ExampleService.Users;

namespace ExampleService.Infrastructure.Http;

/// <summary>Source-generated JSON for the API types: no reflection at run time, ready for trimming.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(UserRequest))]
[JsonSerializable(typeof(UserResponse))]
[JsonSerializable(typeof(UserPage))]
[JsonSerializable(typeof(PingResponse))]
[JsonSerializable(typeof(List<ApiKeyEntry>))]
internal sealed partial class AppJsonContext : JsonSerializerContext;
