"""Container images and services: ECR repositories, the ECS cluster, and Fargate services with their scaling.

As templates/terraform/modules/ecr-repository, ecs-cluster and ecs-service. Other builders reach a service through
``task_security_group`` and ``task_role`` (a data store admits the service's security group; the wiring of a
connection grants its role).
"""

from __future__ import annotations

import json
from typing import Any

from archgen.design import Component, number
from archgen.render.cloudformation.intrinsics import fn_sub, get_att, logical_id, pascal, policy_document, ref
from archgen.render.cloudformation.loadbalancing import listener_resources, load_balancer, security_group, target_group
from archgen.render.cloudformation.network import private_subnet_ids, vpc_cidr, vpc_id
from archgen.render.cloudformation.serverless import access_statements
from archgen.render.cloudformation.stack import Stack
from archgen.render.terraform import Root

CONTAINER_USER = "10001:10001"  # never root, as the module's container_user
CPU_TARGET_PERCENT = 60
HEALTH_CHECK_GRACE_SECONDS = 60
# A release tag or a digest, never latest (the Terraform roots' container_images validation).
IMAGE_PATTERN = r"^(?!.*:latest$)[^\s]+(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})$"


def task_security_group(service_id: str) -> dict[str, Any]:
    """The id of a container service's security group (a data store admits it on its port)."""
    return get_att(logical_id(service_id, "SecurityGroup"), "GroupId")


def task_role(service_id: str) -> str:
    """Logical id of the role a container service's code runs as."""
    return logical_id(service_id, "TaskRole")


def add_ecr_repository(stack: Stack, root: Root, c: Component) -> None:
    """A private repository: immutable tags, scan on push, the Region's key, the last keep_images images kept."""
    keep = int(number(c.properties, "keep_images"))
    name = logical_id(c.id, "Repository")
    lifecycle = {
        "rules": [
            {
                "rulePriority": 1,
                "description": f"Keep the last {keep} images",
                "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": keep},
                "action": {"type": "expire"},
            }
        ]
    }
    stack.add(
        name,
        "AWS::ECR::Repository",
        {
            "RepositoryName": fn_sub(f"{stack.prefix}/{c.properties['image']}"),
            "ImageTagMutability": "IMMUTABLE",
            "ImageScanningConfiguration": {"ScanOnPush": True},
            "EncryptionConfiguration": {"EncryptionType": "KMS", "KmsKey": get_att("Key", "Arn")},
            "LifecyclePolicy": {"LifecyclePolicyText": json.dumps(lifecycle, separators=(",", ":"))},
            "EmptyOnDelete": False,
            "Tags": stack.tags(),
        },
        DeletionPolicy="Retain",
        UpdateReplacePolicy="Retain",
    )
    if c.properties.get("registry_scanning") is not None:
        # registry-wide: it replaces the registry's scanning configuration in this Region, for this design's images
        stack.add(
            "RegistryScanning",
            "AWS::ECR::RegistryScanningConfiguration",
            {
                "ScanType": "ENHANCED",
                "Rules": [
                    {
                        "ScanFrequency": "CONTINUOUS_SCAN",
                        "RepositoryFilters": [{"Filter": fn_sub(f"{stack.prefix}/*"), "FilterType": "WILDCARD"}],
                    }
                ],
            },
        )
    stack.output(
        f"{logical_id(c.id)}RepositoryUri",
        f"URI of the {c.properties['image']} image repository (push release tags here).",
        get_att(name, "RepositoryUri"),
    )


def add_ecs_cluster(stack: Stack, root: Root, c: Component) -> None:
    """A Fargate cluster: Container Insights on, ECS Exec sessions encrypted and logged to an encrypted group."""
    name = f"{stack.prefix}-{c.id}"
    base = logical_id(c.id)
    stack.log_group(f"{base}ExecLogGroup", fn_sub(f"/aws/ecs/{name}/exec"))
    stack.add(
        f"{base}Cluster",
        "AWS::ECS::Cluster",
        {
            "ClusterName": fn_sub(name),
            "ClusterSettings": [{"Name": "containerInsights", "Value": "enabled"}],
            "Configuration": {
                "ExecuteCommandConfiguration": {
                    "KmsKeyId": get_att("Key", "Arn"),
                    "Logging": "OVERRIDE",
                    "LogConfiguration": {
                        "CloudWatchEncryptionEnabled": True,
                        "CloudWatchLogGroupName": ref(f"{base}ExecLogGroup"),
                    },
                }
            },
            "CapacityProviders": ["FARGATE", "FARGATE_SPOT"],
            "DefaultCapacityProviderStrategy": [{"CapacityProvider": "FARGATE", "Weight": 1, "Base": 0}],
            "Tags": stack.tags({"Name": fn_sub(name)}),
        },
    )
    stack.output(f"{base}ClusterName", f"Name of the {c.id} ECS cluster.", ref(f"{base}Cluster"))


def add_ecs_service(stack: Stack, root: Root, c: Component) -> None:
    """A Fargate service with its task definition, roles, log group, security group and scaling.

    Read-only, non-root tasks in private subnets without public IPs, their own roles, encrypted logs, CPU target
    tracking between the design's counts, circuit-breaker rollback, and (when public) ingress from the ALB only.
    """
    props = c.properties
    service = str(props["service"])
    base = logical_id(c.id)
    name = f"{stack.prefix}-{c.id}"
    clusters = root.components_of_kind("ecs-cluster")
    if not clusters:
        raise ValueError(f"{c.id} needs an ecs-cluster component in the {root.region} root")
    cluster = f"{logical_id(clusters[0].id)}Cluster"
    public = bool(props.get("public")) and load_balancer(root) is not None
    port = int(number(props, "port"))
    counts = {key: int(number(props, key)) for key in ("min_count", "desired_count", "max_count")}
    if not counts["min_count"] <= counts["desired_count"] <= counts["max_count"]:
        raise ValueError(f"{c.id}: counts must satisfy min_count <= desired_count <= max_count")
    image = f"{pascal(service)}Image"
    stack.parameter(image, {
        "Type": "String",
        "AllowedPattern": IMAGE_PATTERN,
        "ConstraintDescription": "an image with a release tag or pinned by digest (never latest)",
        "Description": f"Container image of the {service} service in {root.region}, e.g. its repository URI "
        "with a release tag.",
    })  # fmt: skip
    stack.log_group(f"{base}LogGroup", fn_sub(f"/aws/ecs/{name}"))
    _add_roles(stack, root, c, name)
    group: dict[str, Any] = {
        "GroupName": fn_sub(f"{name}-tasks"),
        "GroupDescription": fn_sub(
            f"Tasks of {name}: ingress only from the load balancer, egress to the VPC and HTTPS"
        ),
        "VpcId": vpc_id(),
        "SecurityGroupEgress": [
            {
                "IpProtocol": "tcp",
                "FromPort": 1,
                "ToPort": 65535,
                "CidrIp": vpc_cidr(),
                "Description": "TCP to data stores and services inside the VPC",
            },
            {
                "IpProtocol": "tcp",
                "FromPort": 443,
                "ToPort": 443,
                "CidrIp": "0.0.0.0/0",
                "Description": "HTTPS to AWS APIs and the image registry, through the NAT gateway",
            },
        ],
        "Tags": stack.tags({"Name": fn_sub(f"{name}-tasks")}),
    }
    if public:
        group["SecurityGroupIngress"] = [
            {
                "IpProtocol": "tcp",
                "FromPort": port,
                "ToPort": port,
                "SourceSecurityGroupId": security_group(root),
                "Description": "Container port from the load balancer only",
            }
        ]
    stack.add(f"{base}SecurityGroup", "AWS::EC2::SecurityGroup", group)
    cpu_units = int(float(number(props, "cpu")) * 1024)
    container: dict[str, Any] = {
        "Name": service,
        "Image": ref(image),
        "Essential": True,
        "User": CONTAINER_USER,
        "ReadonlyRootFilesystem": True,
        "PortMappings": [{"Name": "http", "ContainerPort": port, "HostPort": port, "Protocol": "tcp"}],
        # the task's own scratch volume, not the host's /tmp
        "MountPoints": [{"SourceVolume": "tmp", "ContainerPath": "/tmp", "ReadOnly": False}],  # noqa: S108
        "LinuxParameters": {"InitProcessEnabled": True, "Capabilities": {"Drop": ["ALL"]}},
        "LogConfiguration": {
            "LogDriver": "awslogs",
            "Options": {
                "awslogs-group": ref(f"{base}LogGroup"),
                "awslogs-region": ref("AWS::Region"),
                "awslogs-stream-prefix": "ecs",
                "mode": "non-blocking",
            },
        },
        "StopTimeout": 30,
    }
    stack.add(
        f"{base}TaskDefinition",
        "AWS::ECS::TaskDefinition",
        {
            "Family": fn_sub(name),
            "RequiresCompatibilities": ["FARGATE"],
            "NetworkMode": "awsvpc",
            "Cpu": str(cpu_units),
            "Memory": str(int(number(props, "memory_mib"))),
            "TaskRoleArn": get_att(task_role(c.id), "Arn"),
            "ExecutionRoleArn": get_att(f"{base}ExecutionRole", "Arn"),
            "RuntimePlatform": {
                "OperatingSystemFamily": "LINUX",
                "CpuArchitecture": str(props["architecture"]).upper(),
            },
            # writable scratch space for the read-only root filesystem
            "Volumes": [{"Name": "tmp"}],
            "ContainerDefinitions": [container],
            "Tags": stack.tags(),
        },
    )
    properties: dict[str, Any] = {
        "ServiceName": fn_sub(name),
        "Cluster": ref(cluster),
        "TaskDefinition": ref(f"{base}TaskDefinition"),
        # Application Auto Scaling moves the running count; ECS leaves it alone on updates that keep this value
        "DesiredCount": counts["desired_count"],
        "PlatformVersion": "LATEST",
        "DeploymentConfiguration": {
            "MinimumHealthyPercent": 100,
            "MaximumPercent": 200,
            "DeploymentCircuitBreaker": {"Enable": True, "Rollback": True},
        },
        "EnableECSManagedTags": True,
        "PropagateTags": "SERVICE",
        "EnableExecuteCommand": False,
        "AvailabilityZoneRebalancing": "ENABLED",
        "NetworkConfiguration": {
            "AwsvpcConfiguration": {
                "AssignPublicIp": "DISABLED",
                "Subnets": private_subnet_ids(root),
                "SecurityGroups": [task_security_group(c.id)],
            }
        },
        "Tags": stack.tags(),
    }
    if props.get("capacity") == "spot":
        # Fargate Spot runs on spare capacity at a discount; tasks get two minutes' notice before interruption
        properties["CapacityProviderStrategy"] = [{"CapacityProvider": "FARGATE_SPOT", "Weight": 1, "Base": 0}]
    else:
        properties["LaunchType"] = "FARGATE"
    attributes: dict[str, Any] = {}
    origin = root.origin_of(c)
    if origin is not None and "capacity_percent" in props and int(number(props, "capacity_percent")) < 100:
        strategy = "pilot light" if int(number(props, "capacity_percent")) == 0 else "warm standby"
        attributes["Metadata"] = {
            "archgen": {
                "failover": f"{strategy}, {props['capacity_percent']} % of the primary's capacity (min "
                f"{counts['min_count']}, desired {counts['desired_count']}). On failover, start the primary's "
                f"count: aws ecs update-service --desired-count {origin.properties['desired_count']}; Application "
                "Auto Scaling then tracks load up to the maximum."
            }
        }
    if public:
        properties["HealthCheckGracePeriodSeconds"] = HEALTH_CHECK_GRACE_SECONDS
        properties["LoadBalancers"] = [
            {"TargetGroupArn": ref(target_group(root, c)), "ContainerName": service, "ContainerPort": port}
        ]
        attributes["DependsOn"] = listener_resources(root)  # ECS registers tasks only in a routed target group
    stack.add(f"{base}Service", "AWS::ECS::Service", properties, **attributes)
    _add_scaling(stack, base, cluster, name, counts)
    stack.output(f"{base}ServiceName", f"Name of the {c.id} ECS service.", get_att(f"{base}Service", "Name"))


def _add_scaling(stack: Stack, base: str, cluster: str, name: str, counts: dict[str, int]) -> None:
    """Application Auto Scaling between the design's counts, tracking the service's average CPU."""
    stack.add(
        f"{base}ScalableTarget",
        "AWS::ApplicationAutoScaling::ScalableTarget",
        {
            "ServiceNamespace": "ecs",
            "ScalableDimension": "ecs:service:DesiredCount",
            "ResourceId": fn_sub(f"service/${{{cluster}}}/${{{base}Service.Name}}"),
            "MinCapacity": counts["min_count"],
            "MaxCapacity": counts["max_count"],
        },
    )
    stack.add(
        f"{base}CpuScaling",
        "AWS::ApplicationAutoScaling::ScalingPolicy",
        {
            "PolicyName": fn_sub(f"{name}-cpu"),
            "PolicyType": "TargetTrackingScaling",
            "ScalingTargetId": ref(f"{base}ScalableTarget"),
            "TargetTrackingScalingPolicyConfiguration": {
                "TargetValue": CPU_TARGET_PERCENT,
                "ScaleInCooldown": 120,
                "ScaleOutCooldown": 60,
                "PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageCPUUtilization"},
            },
        },
    )


def _add_roles(stack: Stack, root: Root, c: Component, name: str) -> None:
    """The task role the code runs as (with its connections' access) and the execution role ECS pulls and logs with."""
    service = str(c.properties["service"])
    base = logical_id(c.id)
    assume = policy_document(
        {
            "Sid": "EcsTasksAssume",
            "Effect": "Allow",
            "Principal": {"Service": "ecs-tasks.amazonaws.com"},
            "Action": ["sts:AssumeRole"],
            "Condition": {
                "StringEquals": {"aws:SourceAccount": ref("AWS::AccountId")},
                "ArnLike": {"aws:SourceArn": fn_sub("arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:*")},
            },
        }
    )
    task_role_properties: dict[str, Any] = {
        "Description": fn_sub(f"Runtime identity of the {service} tasks ({name})"),
        "AssumeRolePolicyDocument": assume,
        "MaxSessionDuration": 3600,
        "Tags": stack.tags(),
    }
    access = access_statements(root, c)
    if access:
        task_role_properties["Policies"] = [{"PolicyName": "data-access", "PolicyDocument": policy_document(*access)}]
    stack.add(task_role(c.id), "AWS::IAM::Role", task_role_properties)
    execution = [
        {
            "Sid": "WriteContainerLogs",
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": {"Fn::Join": ["", [get_att(f"{base}LogGroup", "Arn"), ":*"]]},
        }
    ]
    # Pulls are scoped to this Region's repository of the service's image (ECR decrypts through its key grant); the
    # dormant restore stack pulls from the repository the recovery Region's production stack keeps.
    repositories = [
        r
        for r in root.design.components
        if r.kind == "ecr-repository" and r.region == root.region and r.properties.get("image") == service
    ]
    if repositories:
        repository: Any = get_att(logical_id(repositories[0].id, "Repository"), "Arn")
        if repositories[0].id not in root.ids:
            repository = fn_sub(
                f"arn:${{AWS::Partition}}:ecr:${{AWS::Region}}:${{AWS::AccountId}}:repository/{stack.prefix}/{service}"
            )
        execution += [
            {
                "Sid": "PullTheServiceImage",
                "Effect": "Allow",
                "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"],
                "Resource": repository,
            },
            {
                "Sid": "AuthenticateToEcr",  # GetAuthorizationToken has no resource-level permissions
                "Effect": "Allow",
                "Action": ["ecr:GetAuthorizationToken"],
                "Resource": "*",
            },
        ]
    stack.add(
        f"{base}ExecutionRole",
        "AWS::IAM::Role",
        {
            "Description": fn_sub(f"ECS agent identity for {name}: pulls the image and writes logs"),
            "AssumeRolePolicyDocument": assume,
            "MaxSessionDuration": 3600,
            "Policies": [{"PolicyName": "pull-image-and-write-logs", "PolicyDocument": policy_document(*execution)}],
            "Tags": stack.tags(),
        },
    )
