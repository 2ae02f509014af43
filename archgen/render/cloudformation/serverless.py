"""Lambda functions and API Gateway HTTP APIs, with the IAM access their connections need."""

from __future__ import annotations

from typing import Any

from archgen.design import Component, number
from archgen.render.cloudformation.databases import data_access_statements
from archgen.render.cloudformation.intrinsics import (
    fn_if,
    fn_sub,
    get_att,
    logical_id,
    pascal,
    policy_document,
    policy_statement,
    ref,
)
from archgen.render.cloudformation.stack import Stack
from archgen.render.cloudformation.streaming import stream_access_statements
from archgen.render.terraform import Root


def stack_prefix(root: Root) -> str:
    """The name prefix of a root's stack (as a Fn::Sub text), as Stack.prefix."""
    return f"{root.design.name}-${{Environment}}"


def access_statements(root: Root, c: Component) -> list[dict[str, Any]]:
    """What a function needs on the stores it connects to (the Terraform modules' access_policy_json)."""
    statements: list[dict[str, Any]] = []
    via_s3 = {"StringEquals": {"kms:ViaService": fn_sub("s3.${AWS::Region}.amazonaws.com")}}
    for target in root.targets_of(c.id):
        if target.kind == "dynamodb-table":
            origin = root.origin_of(target)
            copy = root.recovery_copy(target.id) if origin is None else None
            arn: Any
            if origin is not None and not root.is_restore:  # the replica the primary Region's stack created
                arn = fn_sub(
                    f"arn:${{AWS::Partition}}:dynamodb:${{AWS::Region}}:${{AWS::AccountId}}:table/"
                    f"{stack_prefix(root)}-{origin.id}"
                )
            else:
                arn = get_att(logical_id(target.id, "Table"), "Arn")
            actions = [
                "dynamodb:BatchGetItem",
                "dynamodb:BatchWriteItem",
                "dynamodb:ConditionCheckItem",
                "dynamodb:DeleteItem",
                "dynamodb:DescribeTable",
                "dynamodb:GetItem",
                "dynamodb:PutItem",
                "dynamodb:Query",
                "dynamodb:Scan",
                "dynamodb:UpdateItem",
            ]
            resources: list[Any] = [arn, {"Fn::Join": ["", [arn, "/index/*"]]}]
            keys: list[Any] = [get_att("Key", "Arn")]
            via: list[Any] = [fn_sub("dynamodb.${AWS::Region}.amazonaws.com")]
            if copy is not None:  # the global table's replica in the recovery Region, once it exists
                replica = fn_sub(
                    f"arn:${{AWS::Partition}}:dynamodb:{copy.region}:${{AWS::AccountId}}:table/"
                    f"{stack_prefix(root)}-{target.id}"
                )
                resources += [
                    fn_if("HasRecoveryKey", replica),
                    fn_if("HasRecoveryKey", {"Fn::Join": ["", [replica, "/index/*"]]}),
                ]
                keys.append(fn_if("HasRecoveryKey", ref("RecoveryKmsKeyArn")))
                via.append(fn_if("HasRecoveryKey", f"dynamodb.{copy.region}.amazonaws.com"))
            statements.append({"Sid": f"ReadWrite{pascal(target.id)}", "Effect": "Allow", "Action": actions,
                               "Resource": resources})  # fmt: skip
            statements.append(
                {
                    "Sid": f"Use{pascal(target.id)}KeysThroughDynamoDB",
                    "Effect": "Allow",
                    "Action": [
                        "kms:Decrypt",
                        "kms:DescribeKey",
                        "kms:Encrypt",
                        "kms:GenerateDataKey*",
                        "kms:ReEncrypt*",
                    ],
                    "Resource": keys,
                    "Condition": {"StringEquals": {"kms:ViaService": via}},
                }
            )
        elif target.kind == "sqs-queue":
            statements += [
                {
                    "Sid": f"Use{pascal(target.id)}",
                    "Effect": "Allow",
                    "Action": ["sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage",
                               "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"],
                    "Resource": get_att(logical_id(target.id, "Queue"), "Arn"),
                },
                {
                    "Sid": f"Use{pascal(target.id)}KeyThroughSqs",
                    "Effect": "Allow",
                    "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
                    "Resource": get_att("Key", "Arn"),
                    "Condition": {"StringEquals": {"kms:ViaService": fn_sub("sqs.${AWS::Region}.amazonaws.com")}},
                },
            ]  # fmt: skip
        elif target.kind == "kinesis-stream":
            statements += stream_access_statements(target)
        elif target.kind == "firehose-stream":
            statements.append(
                {
                    "Sid": f"PutRecordsTo{pascal(target.id)}",
                    "Effect": "Allow",
                    "Action": ["firehose:PutRecord", "firehose:PutRecordBatch", "firehose:DescribeDeliveryStream"],
                    "Resource": get_att(logical_id(target.id, "DeliveryStream"), "Arn"),
                }
            )
        elif target.kind == "s3-bucket":
            arn = get_att(logical_id(target.id, "Bucket"), "Arn")
            statements += [
                {"Sid": f"List{pascal(target.id)}", "Effect": "Allow", "Action": ["s3:ListBucket"], "Resource": arn},
                {
                    "Sid": f"ReadWrite{pascal(target.id)}Objects",
                    "Effect": "Allow",
                    "Action": ["s3:AbortMultipartUpload", "s3:DeleteObject", "s3:GetObject", "s3:PutObject"],
                    "Resource": {"Fn::Join": ["", [arn, "/*"]]},
                },
                {
                    "Sid": f"Use{pascal(target.id)}KeyThroughS3",
                    "Effect": "Allow",
                    "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
                    "Resource": get_att("Key", "Arn"),
                    "Condition": via_s3,
                },
            ]
    return statements + data_access_statements(root, c)


def add_lambda_function(stack: Stack, root: Root, c: Component) -> None:
    """A Lambda function with its role, log group, dead-letter queue, tracing and code signing."""
    service = str(c.properties["service"])
    base = logical_id(c.id)
    package = pascal(service)
    stack.parameter(f"{package}PackageBucket", {
        "Type": "String",
        "AllowedPattern": r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$",
        "ConstraintDescription": "an S3 bucket name",
        "Description": f"S3 bucket (in this Region) holding the {service} service's deployment package.",
    })  # fmt: skip
    stack.parameter(f"{package}PackageKey", {
        "Type": "String",
        "AllowedPattern": r"^[A-Za-z0-9!_.*'()/-]+\.zip$",
        "ConstraintDescription": "the key of a .zip object",
        "Description": f"S3 key of the {service} service's .zip deployment package.",
    })  # fmt: skip
    stack.parameter(f"{package}Runtime", {
        "Type": "String",
        "Default": "provided.al2023",
        "AllowedPattern": r"^[a-z0-9.]+$",
        "Description": f"Lambda runtime of the {service} service.",
    })  # fmt: skip
    stack.parameter(f"{package}Handler", {
        "Type": "String",
        "Default": "bootstrap",
        "AllowedPattern": r"^[A-Za-z0-9_.:/-]{1,128}$",
        "Description": f"Handler of the {service} service.",
    })  # fmt: skip
    function_name = f"{stack.prefix}-{c.id}"
    stack.log_group(f"{base}LogGroup", fn_sub(f"/aws/lambda/{function_name}"))
    stack.add(
        f"{base}DeadLetterQueue",
        "AWS::SQS::Queue",
        {
            "QueueName": fn_sub(f"{function_name}-dlq"),
            "KmsMasterKeyId": get_att("Key", "Arn"),
            "KmsDataKeyReusePeriodSeconds": 300,
            "MessageRetentionPeriod": 1209600,
            "Tags": stack.tags(),
        },
    )
    stack.add(
        f"{base}SigningProfile",
        "AWS::Signer::SigningProfile",
        {
            "PlatformId": "AWSLambda-SHA384-ECDSA",
            "SignatureValidityPeriod": {"Value": 5, "Type": "YEARS"},
            "Tags": stack.tags(),
        },
    )
    stack.add(
        f"{base}CodeSigning",
        "AWS::Lambda::CodeSigningConfig",
        {
            "Description": fn_sub(f"Signing profile for {function_name}"),
            "AllowedPublishers": {"SigningProfileVersionArns": [get_att(f"{base}SigningProfile", "ProfileVersionArn")]},
            "CodeSigningPolicies": {"UntrustedArtifactOnDeployment": "Warn"},
            "Tags": stack.tags(),
        },
    )
    log_group_arn = get_att(f"{base}LogGroup", "Arn")
    own = [
        {
            "Sid": "WriteOwnLogs",
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": {"Fn::Join": ["", [log_group_arn, ":*"]]},
        },
        {
            "Sid": "SendFailedEventsToTheDeadLetterQueue",
            "Effect": "Allow",
            "Action": ["sqs:SendMessage"],
            "Resource": get_att(f"{base}DeadLetterQueue", "Arn"),
        },
        {
            "Sid": "UseTheRegionKey",
            "Effect": "Allow",
            "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
            "Resource": get_att("Key", "Arn"),
        },
    ]
    policies = [{"PolicyName": "logs-dlq-and-key", "PolicyDocument": policy_document(*own)}]
    access = access_statements(root, c)
    if access:
        policies.append({"PolicyName": "data-access", "PolicyDocument": policy_document(*access)})
    stack.add(
        f"{base}Role",
        "AWS::IAM::Role",
        {
            "Description": fn_sub(f"Runtime identity of the {service} function ({function_name})"),
            "AssumeRolePolicyDocument": policy_document(
                policy_statement("LambdaAssumes", ["sts:AssumeRole"], None, {"Service": "lambda.amazonaws.com"})
            ),
            "MaxSessionDuration": 3600,
            "ManagedPolicyArns": [fn_sub("arn:${AWS::Partition}:iam::aws:policy/AWSXRayDaemonWriteAccess")],
            "Policies": policies,
            "Tags": stack.tags(),
        },
    )
    code: dict[str, Any] = {"S3Bucket": ref(f"{package}PackageBucket"), "S3Key": ref(f"{package}PackageKey")}
    stack.add(
        f"{base}Function",
        "AWS::Lambda::Function",
        {
            "FunctionName": fn_sub(function_name),
            "Description": fn_sub(f"{service} ({function_name})"),
            "Role": get_att(f"{base}Role", "Arn"),
            "Code": code,
            "Runtime": ref(f"{package}Runtime"),
            "Handler": ref(f"{package}Handler"),
            "Architectures": [str(c.properties["architecture"])],
            "MemorySize": int(number(c.properties, "memory_mib")),
            "Timeout": int(number(c.properties, "timeout_seconds")),
            "ReservedConcurrentExecutions": int(c.properties.get("reserved_concurrency", 100)),  # type: ignore[arg-type]
            "KmsKeyArn": get_att("Key", "Arn"),
            "CodeSigningConfigArn": ref(f"{base}CodeSigning"),
            "Environment": {"Variables": {"SERVICE_NAME": service}},
            "TracingConfig": {"Mode": "Active"},
            "DeadLetterConfig": {"TargetArn": get_att(f"{base}DeadLetterQueue", "Arn")},
            "LoggingConfig": {
                "LogFormat": "JSON",
                "LogGroup": ref(f"{base}LogGroup"),
                "ApplicationLogLevel": "INFO",
                "SystemLogLevel": "WARN",
            },
            "Tags": stack.tags(),
        },
        Metadata={
            "checkov": {
                "skip": [
                    {
                        "id": "CKV_AWS_117",
                        "comment": "The design has no VPC: a function with no VPC resources to reach needs no "
                        "network interfaces (the Terraform attaches it whenever the design has a VPC).",
                    }
                ]
            }
        },
    )
    stack.output(f"{base}FunctionArn", f"ARN of the {c.id} function.", get_att(f"{base}Function", "Arn"))


def add_api_gateway(stack: Stack, root: Root, c: Component) -> None:
    """An API Gateway HTTP API routed to the public functions, with access logs."""
    base = logical_id(c.id)
    functions = [f for f in root.components_of_kind("lambda-function") if f.properties.get("public")]
    name = f"{stack.prefix}-{c.id}"
    stack.log_group(f"{base}AccessLogGroup", fn_sub(f"/aws/apigateway/{name}"))
    stack.add(
        f"{base}Api",
        "AWS::ApiGatewayV2::Api",
        {
            "Name": fn_sub(name),
            "Description": fn_sub(f"HTTP API {name}"),
            "ProtocolType": "HTTP",
            "DisableExecuteApiEndpoint": False,
            "Tags": {tag["Key"]: tag["Value"] for tag in stack.tags()},
        },
    )
    api = ref(f"{base}Api")
    single = len(functions) == 1
    for f in functions:
        fn = logical_id(f.id)
        integration = f"{base}{fn}Integration"
        stack.add(
            integration,
            "AWS::ApiGatewayV2::Integration",
            {
                "ApiId": api,
                "Description": f"Lambda function {f.id}",
                "IntegrationType": "AWS_PROXY",
                "IntegrationMethod": "POST",
                "IntegrationUri": get_att(f"{fn}Function", "Arn"),
                "PayloadFormatVersion": "2.0",
                "TimeoutInMillis": 30000,
            },
        )
        service = str(f.properties["service"])
        keys = ["$default"] if single else [f"ANY /{service}", f"ANY /{service}/{{proxy+}}"]
        for index, key in enumerate(keys):
            stack.add(
                f"{base}{fn}Route{index or ''}",
                "AWS::ApiGatewayV2::Route",
                {
                    "ApiId": api,
                    "RouteKey": key,
                    "Target": {"Fn::Join": ["/", ["integrations", ref(integration)]]},
                    "AuthorizationType": "NONE",
                },
                Metadata={
                    "checkov": {
                        "skip": [
                            {
                                "id": "CKV_AWS_309",
                                "comment": "The public API authenticates callers in the service itself, as the "
                                "spec describes it (the Terraform adds a JWT authorizer only with jwt_issuer).",
                            }
                        ]
                    }
                },
            )
        source = "/*/$default" if single else f"/*/*/{service}*"
        stack.add(
            f"{base}{fn}Permission",
            "AWS::Lambda::Permission",
            {
                "Action": "lambda:InvokeFunction",
                "FunctionName": ref(f"{fn}Function"),
                "Principal": "apigateway.amazonaws.com",
                "SourceArn": {
                    "Fn::Join": [
                        "",
                        [
                            fn_sub(
                                f"arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{{base}Api}}"
                            ),
                            source,
                        ],
                    ]
                },
            },
        )
    fields = ["requestId", "requestTime", "identity.sourceIp", "identity.userAgent", "httpMethod", "path",
              "routeKey", "protocol", "status", "responseLength", "responseLatency", "integrationLatency",
              "integrationStatus", "integrationErrorMessage", "error.message", "domainName"]  # fmt: skip
    log_format = "{" + ",".join(f'"{f.split(".")[-1]}":"$context.{f}"' for f in fields) + "}"
    stack.add(
        f"{base}Stage",
        "AWS::ApiGatewayV2::Stage",
        {
            "ApiId": api,
            "StageName": "$default",
            "AutoDeploy": True,
            "AccessLogSettings": {"DestinationArn": get_att(f"{base}AccessLogGroup", "Arn"), "Format": log_format},
            "DefaultRouteSettings": {
                "ThrottlingRateLimit": int(c.properties.get("throttling_rate_limit", 1000)),  # type: ignore[arg-type]
                "ThrottlingBurstLimit": int(c.properties.get("throttling_burst_limit", 2000)),  # type: ignore[arg-type]
                "DetailedMetricsEnabled": True,
            },
            "Tags": {tag["Key"]: tag["Value"] for tag in stack.tags()},
        },
    )
    stack.parameter("DomainName", {
        "Type": "String",
        "Default": "",
        "AllowedPattern": r"^(([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63})?$",
        "ConstraintDescription": "empty, or a fully qualified lowercase DNS name",
        "Description": "The DNS name users reach the API at, e.g. api.example.com; empty for the execute-api name.",
    })  # fmt: skip
    stack.parameter("CertificateArn", {
        "Type": "String",
        "Default": "",
        "AllowedPattern": r"^(arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[a-f0-9-]{36})?$",
        "ConstraintDescription": "empty, or the ARN of a regional ACM certificate for DomainName",
        "Description": "Regional ACM certificate of DomainName (needed when DomainName is set).",
    })  # fmt: skip
    stack.conditions["HasDomain"] = {"Fn::Not": [{"Fn::Equals": [ref("DomainName"), ""]}]}
    stack.conditions["HasCertificate"] = {"Fn::Not": [{"Fn::Equals": [ref("CertificateArn"), ""]}]}
    stack.rules["DomainNeedsCertificate"] = {
        "RuleCondition": {"Fn::Not": [{"Fn::Equals": [ref("DomainName"), ""]}]},
        "Assertions": [
            {
                "Assert": {"Fn::Not": [{"Fn::Equals": [ref("CertificateArn"), ""]}]},
                "AssertDescription": "A custom DomainName needs CertificateArn (a regional ACM certificate).",
            }
        ],
    }
    stack.add(
        f"{base}DomainName",
        "AWS::ApiGatewayV2::DomainName",
        {
            "DomainName": ref("DomainName"),
            "DomainNameConfigurations": [
                {
                    # the same condition as the resource's: cfn-lint would otherwise check the empty default
                    "CertificateArn": fn_if("HasCertificate", ref("CertificateArn")),
                    "EndpointType": "REGIONAL",
                    "SecurityPolicy": "TLS_1_2",
                }
            ],
            "Tags": {tag["Key"]: tag["Value"] for tag in stack.tags()},
        },
        Condition="HasDomain",
    )
    stack.add(
        f"{base}ApiMapping",
        "AWS::ApiGatewayV2::ApiMapping",
        {"ApiId": api, "DomainName": ref(f"{base}DomainName"), "Stage": ref(f"{base}Stage")},
        Condition="HasDomain",
    )
    stack.output(f"{base}Endpoint", f"Invoke URL of the {c.id} HTTP API.", get_att(f"{base}Api", "ApiEndpoint"))
