// SPDX-License-Identifier: GPL-2.0-only
/*
 * The container, /dev/vfio/vfio: its device node, API version and
 * extensions, VFIO_SET_IOMMU ordering and errors, ioctls forwarded to the
 * IOMMU backend, the lifetime of a container held by its groups, and
 * several groups sharing one container.
 *
 * Error codes are those of Debian's stock 6.1 modules.
 */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "vfio_util.h"
#include "kselftest_harness.h"

#define VFIO_BOGUS_EXTENSION	0x7fff
#define VFIO_BOGUS_IOCTL	_IO(VFIO_TYPE, VFIO_BASE + 99)

static const char *edu0, *edu1;

TEST(container_node)
{
	struct stat st;

	ASSERT_EQ(0, stat(VFIO_CONTAINER_PATH, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	/* a misc device, VFIO_MINOR */
	EXPECT_EQ(10U, major(st.st_rdev));
	EXPECT_EQ(196U, minor(st.st_rdev));
	EXPECT_EQ(0666U, st.st_mode & 07777);
}

TEST(api_version)
{
	int c = vfio_open_container();

	ASSERT_LE(0, c);
	EXPECT_EQ(VFIO_API_VERSION, vfio_ioctl(c, VFIO_GET_API_VERSION, NULL));
	close(c);
}

TEST(extensions)
{
	int c = vfio_open_container();

	ASSERT_LE(0, c);
	EXPECT_EQ(1, vfio_ioctl(c, VFIO_CHECK_EXTENSION,
				(void *)VFIO_TYPE1_IOMMU));
	EXPECT_EQ(1, vfio_ioctl(c, VFIO_CHECK_EXTENSION,
				(void *)VFIO_TYPE1v2_IOMMU));
	EXPECT_EQ(1, vfio_ioctl(c, VFIO_CHECK_EXTENSION,
				(void *)VFIO_UNMAP_ALL));
	/* not on x86, and Debian has no CONFIG_VFIO_NOIOMMU */
	EXPECT_EQ(0, vfio_ioctl(c, VFIO_CHECK_EXTENSION,
				(void *)VFIO_SPAPR_TCE_IOMMU));
	EXPECT_EQ(0, vfio_ioctl(c, VFIO_CHECK_EXTENSION,
				(void *)VFIO_NOIOMMU_IOMMU));
	EXPECT_EQ(0, vfio_ioctl(c, VFIO_CHECK_EXTENSION,
				(void *)VFIO_BOGUS_EXTENSION));
	EXPECT_EQ(0, vfio_ioctl(c, VFIO_CHECK_EXTENSION, (void *)0UL));
	close(c);
}

TEST(set_iommu_without_group)
{
	int c = vfio_open_container();

	ASSERT_LE(0, c);
	EXPECT_EQ(-EINVAL, vfio_set_iommu(c, VFIO_TYPE1v2_IOMMU));
	EXPECT_EQ(-EINVAL, vfio_set_iommu(c, VFIO_TYPE1_IOMMU));
	close(c);
}

TEST(ioctls_without_iommu)
{
	struct vfio_iommu_type1_info info = { .argsz = sizeof(info) };
	int c = vfio_open_container();

	ASSERT_LE(0, c);
	/* nothing to forward them to: the container answers -EINVAL */
	EXPECT_EQ(-EINVAL, vfio_ioctl(c, VFIO_IOMMU_GET_INFO, &info));
	EXPECT_EQ(-EINVAL, vfio_ioctl(c, VFIO_BOGUS_IOCTL, NULL));
	close(c);
}

/* A container holding EDU0's group, no IOMMU set yet. */
FIXTURE(container)
{
	int container;
	int group;
};

FIXTURE_SETUP(container)
{
	self->container = -1;
	self->group = -1;
	self->container = vfio_open_container();
	ASSERT_LE(0, self->container);
	self->group = vfio_open_group(edu0);
	ASSERT_LE(0, self->group);
	ASSERT_EQ(0, vfio_group_set_container(self->group, self->container));
}

FIXTURE_TEARDOWN(container)
{
	if (self->group >= 0)
		close(self->group);
	if (self->container >= 0)
		close(self->container);
}

TEST_F(container, set_iommu_type1v2)
{
	struct vfio_iommu_type1_info info = { .argsz = sizeof(info) };

	EXPECT_EQ(-EINVAL, vfio_ioctl(self->container, VFIO_IOMMU_GET_INFO,
				      &info));
	ASSERT_EQ(0, vfio_set_iommu(self->container, VFIO_TYPE1v2_IOMMU));
	EXPECT_EQ(0, vfio_ioctl(self->container, VFIO_IOMMU_GET_INFO, &info));
	/* still answered once an IOMMU is set */
	EXPECT_EQ(VFIO_API_VERSION,
		  vfio_ioctl(self->container, VFIO_GET_API_VERSION, NULL));
	EXPECT_EQ(1, vfio_ioctl(self->container, VFIO_CHECK_EXTENSION,
				(void *)VFIO_TYPE1v2_IOMMU));
	EXPECT_EQ(0, vfio_ioctl(self->container, VFIO_CHECK_EXTENSION,
				(void *)VFIO_BOGUS_EXTENSION));
}

TEST_F(container, set_iommu_type1)
{
	ASSERT_EQ(0, vfio_set_iommu(self->container, VFIO_TYPE1_IOMMU));
}

TEST_F(container, set_iommu_unknown_type)
{
	EXPECT_EQ(-ENODEV, vfio_set_iommu(self->container,
					  VFIO_BOGUS_EXTENSION));
	EXPECT_EQ(-ENODEV, vfio_set_iommu(self->container,
					  VFIO_SPAPR_TCE_IOMMU));
	/* a failed attempt leaves the container usable */
	EXPECT_EQ(0, vfio_set_iommu(self->container, VFIO_TYPE1v2_IOMMU));
}

TEST_F(container, set_iommu_twice)
{
	ASSERT_EQ(0, vfio_set_iommu(self->container, VFIO_TYPE1v2_IOMMU));
	EXPECT_EQ(-EINVAL, vfio_set_iommu(self->container,
					  VFIO_TYPE1v2_IOMMU));
	EXPECT_EQ(-EINVAL, vfio_set_iommu(self->container, VFIO_TYPE1_IOMMU));
}

TEST_F(container, backend_ioctls)
{
	ASSERT_EQ(0, vfio_set_iommu(self->container, VFIO_TYPE1v2_IOMMU));
	/* an ioctl the container doesn't know goes to Type1: -ENOTTY */
	EXPECT_EQ(-ENOTTY, vfio_ioctl(self->container, VFIO_BOGUS_IOCTL,
				      NULL));
}

/* Removing the last group deprivileges the container; it can start over. */
TEST_F(container, unset_releases_iommu)
{
	struct vfio_iommu_type1_info info = { .argsz = sizeof(info) };
	uint32_t flags;

	ASSERT_EQ(0, vfio_set_iommu(self->container, VFIO_TYPE1v2_IOMMU));
	ASSERT_EQ(0, vfio_group_unset_container(self->group));
	EXPECT_EQ(-EINVAL, vfio_ioctl(self->container, VFIO_IOMMU_GET_INFO,
				      &info));
	EXPECT_EQ(-EINVAL, vfio_set_iommu(self->container,
					  VFIO_TYPE1v2_IOMMU));
	ASSERT_EQ(0, vfio_group_status(self->group, &flags));
	EXPECT_EQ(GROUP_VIABLE, flags);

	ASSERT_EQ(0, vfio_group_set_container(self->group, self->container));
	EXPECT_EQ(0, vfio_set_iommu(self->container, VFIO_TYPE1_IOMMU));
	EXPECT_EQ(0, vfio_ioctl(self->container, VFIO_IOMMU_GET_INFO, &info));
}

/* The group holds a reference: closing the container fd changes nothing. */
TEST_F(container, group_keeps_container)
{
	uint32_t flags;
	int dev;

	ASSERT_EQ(0, vfio_set_iommu(self->container, VFIO_TYPE1v2_IOMMU));
	ASSERT_EQ(0, close(self->container));
	self->container = -1;

	ASSERT_EQ(0, vfio_group_status(self->group, &flags));
	EXPECT_EQ(GROUP_VIABLE | GROUP_CONTAINER_SET, flags);
	dev = vfio_get_device_fd(self->group, edu0);
	EXPECT_LE(0, dev);
	if (dev >= 0)
		close(dev);
	EXPECT_EQ(0, vfio_group_unset_container(self->group));
}

/* A group already in a container can't join another one. */
TEST_F(container, group_in_two_containers)
{
	int other = vfio_open_container();

	ASSERT_LE(0, other);
	EXPECT_EQ(-EINVAL, vfio_group_set_container(self->group, other));
	EXPECT_EQ(-EINVAL, vfio_set_iommu(other, VFIO_TYPE1v2_IOMMU));
	close(other);
}

/*
 * Two groups in one container, the second added after SET_IOMMU (as DPDK
 * does), both with devices, then removed one at a time.
 */
TEST_F(container, two_groups)
{
	struct vfio_iommu_type1_info info = { .argsz = sizeof(info) };
	int g1, d0, d1;
	uint32_t flags;

	ASSERT_NE(NULL, edu1);
	ASSERT_NE(vfio_group_id(edu0), vfio_group_id(edu1));
	ASSERT_EQ(0, vfio_set_iommu(self->container, VFIO_TYPE1v2_IOMMU));
	g1 = vfio_open_group(edu1);
	ASSERT_LE(0, g1);
	ASSERT_EQ(0, vfio_group_set_container(g1, self->container));
	ASSERT_EQ(0, vfio_group_status(g1, &flags));
	EXPECT_EQ(GROUP_VIABLE | GROUP_CONTAINER_SET, flags);

	d0 = vfio_get_device_fd(self->group, edu0);
	EXPECT_LE(0, d0);
	d1 = vfio_get_device_fd(g1, edu1);
	EXPECT_LE(0, d1);
	/* each group only hands out its own devices */
	EXPECT_EQ(-ENODEV, vfio_get_device_fd(g1, edu0));

	if (d1 >= 0)
		close(d1);
	EXPECT_EQ(0, vfio_group_unset_container(g1));
	/* the container keeps its IOMMU while a group is left */
	EXPECT_EQ(0, vfio_ioctl(self->container, VFIO_IOMMU_GET_INFO, &info));
	EXPECT_EQ(-EINVAL, vfio_set_iommu(self->container,
					  VFIO_TYPE1v2_IOMMU));
	/* and the group can come back */
	EXPECT_EQ(0, vfio_group_set_container(g1, self->container));
	close(g1);
	if (d0 >= 0)
		close(d0);
}

int main(int argc, char **argv)
{
	edu0 = vfio_test_env("VFIO_EDU0");
	edu1 = vfio_test_env("VFIO_EDU1");
	if (!edu0 || access(VFIO_CONTAINER_PATH, F_OK)) {
		ksft_print_header();
		ksft_exit_skip("no VFIO test VM (VFIO_EDU0, %s)\n",
			       VFIO_CONTAINER_PATH);
	}
	return test_harness_run(argc, argv);
}
