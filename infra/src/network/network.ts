import { DataAwsAvailabilityZones } from '@cdktf/provider-aws/lib/data-aws-availability-zones';
import { DataAwsVpcEndpointService } from '@cdktf/provider-aws/lib/data-aws-vpc-endpoint-service';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Fn, ref, TerraformCount, Token } from 'cdktf';
import { Construct } from 'constructs';

/** Where the jobs run: the subnets and security groups handed to the compute environment. */
export interface JobNetwork {
  readonly subnetIds: string[];
  readonly securityGroupIds: string[];
  /** Set when the stack made the VPC. */
  readonly vpcId?: string;
}

/** Interface endpoints every compute type needs to start a container without internet. */
const FARGATE_ENDPOINTS = ['ecr.api', 'ecr.dkr', 'logs'] as const;
/** EC2 hosts also run the ECS agent, which talks to these. */
const EC2_HOST_ENDPOINTS = ['ecs', 'ecs-agent', 'ecs-telemetry'] as const;

export interface PrivateNetworkProps {
  readonly namePrefix: string;
  readonly region: string;
  readonly cidr: string;
  readonly availabilityZones: number;
  /** EC2 and Spot hosts run the ECS agent and need the ECS endpoints as well. */
  readonly ec2Hosts: boolean;
}

/**
 * A VPC with private subnets only and no route to the internet. Jobs reach S3 through a
 * gateway endpoint (free) and ECR, CloudWatch Logs (and ECS, for EC2 hosts) through
 * interface endpoints, so no NAT gateway is needed and the containers cannot call out.
 */
export class PrivateNetwork extends Construct {
  readonly network: JobNetwork;

  constructor(scope: Construct, id: string, props: PrivateNetworkProps) {
    super(scope, id);
    const name = (suffix: string) => ({ Name: `${props.namePrefix}-${suffix}` });
    const vpc = new Vpc(this, 'vpc', {
      cidrBlock: props.cidr,
      enableDnsSupport: true,
      // Private DNS of the interface endpoints needs both DNS settings.
      enableDnsHostnames: true,
      tags: name('vpc'),
    });
    const services = props.ec2Hosts ? [...FARGATE_ENDPOINTS, ...EC2_HOST_ENDPOINTS] : FARGATE_ENDPOINTS;
    const zoneNames = usableZones(this, props.region, services);
    // As many subnets as asked for, but never more than the region has usable zones: an
    // interface endpoint takes at most one subnet per zone.
    const subnetCount = TerraformCount.of(Fn.min([props.availabilityZones, Fn.lengthOf(zoneNames)]));
    const routeTable = new RouteTable(this, 'private-routes', { vpcId: vpc.id, tags: name('private') });
    const subnet = new Subnet(this, 'private', {
      count: subnetCount,
      vpcId: vpc.id,
      cidrBlock: Fn.cidrsubnet(props.cidr, 4, subnetCount.index),
      availabilityZone: Fn.element(zoneNames, subnetCount.index),
      mapPublicIpOnLaunch: false,
      tags: { Name: `${props.namePrefix}-private-\${count.index}` },
    });
    const subnetIds = Token.asList(ref(`${subnet.fqn}[*].id`));
    new RouteTableAssociation(this, 'private-routes-association', {
      count: subnetCount,
      subnetId: Fn.element(subnetIds, subnetCount.index),
      routeTableId: routeTable.id,
    });

    const jobs = new SecurityGroup(this, 'jobs', {
      name: `${props.namePrefix}-jobs`,
      description: 'wordbatch jobs: HTTPS out to the VPC endpoints and S3, nothing in',
      vpcId: vpc.id,
    });
    // 0.0.0.0/0 only reaches the endpoints: the subnets have no internet route.
    new VpcSecurityGroupEgressRule(this, 'jobs-https-out', {
      securityGroupId: jobs.id,
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      cidrIpv4: '0.0.0.0/0',
      description: 'HTTPS to the VPC endpoints and the S3 gateway endpoint',
    });
    const endpoints = new SecurityGroup(this, 'endpoints', {
      name: `${props.namePrefix}-endpoints`,
      description: 'wordbatch VPC interface endpoints: HTTPS from the jobs',
      vpcId: vpc.id,
    });
    new VpcSecurityGroupIngressRule(this, 'endpoints-https-in', {
      securityGroupId: endpoints.id,
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      referencedSecurityGroupId: jobs.id,
      description: 'HTTPS from the wordbatch jobs',
    });

    new VpcEndpoint(this, 's3', {
      vpcId: vpc.id,
      serviceName: `com.amazonaws.${props.region}.s3`,
      vpcEndpointType: 'Gateway',
      routeTableIds: [routeTable.id],
      tags: name('s3'),
    });
    for (const service of services) {
      new VpcEndpoint(this, service, {
        vpcId: vpc.id,
        serviceName: `com.amazonaws.${props.region}.${service}`,
        vpcEndpointType: 'Interface',
        privateDnsEnabled: true,
        subnetIds,
        securityGroupIds: [endpoints.id],
        tags: name(service),
      });
    }

    this.network = {
      subnetIds,
      securityGroupIds: [jobs.id],
      vpcId: vpc.id,
    };
  }
}

/**
 * The zones the subnets may go in, as a sorted list of names: regular Availability Zones
 * only (no Local or Wavelength Zones, which sort among them by name, e.g. us-east-1-bos-1a,
 * and offer neither Fargate nor interface endpoints), that need no opt-in, and in which
 * every interface endpoint the jobs need is offered.
 */
function usableZones(scope: Construct, region: string, services: readonly string[]): string[] {
  const zones = new DataAwsAvailabilityZones(scope, 'zones', {
    state: 'available',
    // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeAvailabilityZones.html
    filter: [
      { name: 'zone-type', values: ['availability-zone'] },
      { name: 'opt-in-status', values: ['opt-in-not-required'] },
    ],
  });
  const offered = services.map(
    (service) =>
      new DataAwsVpcEndpointService(scope, `${service}-zones`, {
        serviceName: `com.amazonaws.${region}.${service}`,
        serviceType: 'Interface',
      }).availabilityZones,
  );
  return Fn.sort(Fn.setintersection(zones.names, offered));
}
